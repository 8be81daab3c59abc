#!/usr/bin/env bash
# The MQTT broker Herald's MQTT listener is compared with: mosquitto (Debian package) on loopback, plain TCP.
# usage: benchmarks/scripts/mosquitto-peer.sh start [port, default 1884] | stop
# Installs mosquitto with apt-get when it is missing (as root, or through sudo).
set -eu
DIR=/tmp/herald-mosquitto-peer
case "${1:-}" in
  start)
    PORT=${2:-1884}
    if ! command -v mosquitto > /dev/null && [ ! -x /usr/sbin/mosquitto ]; then
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
      $SUDO apt-get install -y -q mosquitto > /dev/null || { $SUDO apt-get update -q > /dev/null && $SUDO apt-get install -y -q mosquitto > /dev/null; }
    fi
    BIN=$(command -v mosquitto || echo /usr/sbin/mosquitto)
    mkdir -p $DIR
    cat > $DIR/mosquitto.conf <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 100000
CONF
    [ -f $DIR/pid ] && kill "$(cat $DIR/pid)" 2> /dev/null || true
    "$BIN" -c $DIR/mosquitto.conf > $DIR/mosquitto.log 2>&1 &
    echo $! > $DIR/pid
    for _ in $(seq 1 50); do
      (exec 3<> /dev/tcp/127.0.0.1/$PORT) 2> /dev/null && { echo "$("$BIN" -h 2>/dev/null | head -1) on mqtt://127.0.0.1:$PORT"; exit 0; }
      sleep 0.1
    done
    echo "mosquitto did not start: $(cat $DIR/mosquitto.log)" >&2; exit 1
    ;;
  stop)
    [ -f $DIR/pid ] && kill "$(cat $DIR/pid)" 2> /dev/null || true
    rm -f $DIR/pid
    ;;
  *) echo "usage: $0 start [port] | stop" >&2; exit 2 ;;
esac
