#!/usr/bin/env bash
# The peer Herald is compared with: nats-server (Debian package) with its WebSocket listener on loopback.
# usage: benchmarks/scripts/nats-peer.sh start [ws port, default 7522] | stop
# Installs nats-server with apt-get when it is missing (as root, or through sudo).
set -eu
DIR=/tmp/herald-nats-peer
case "${1:-}" in
  start)
    PORT=${2:-7522}
    if ! command -v nats-server > /dev/null; then
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
      $SUDO apt-get install -y -q nats-server > /dev/null || { $SUDO apt-get update -q > /dev/null && $SUDO apt-get install -y -q nats-server > /dev/null; }
    fi
    mkdir -p $DIR
    cat > $DIR/nats.conf <<CONF
listen: 127.0.0.1:0
websocket {
  host: 127.0.0.1
  port: $PORT
  no_tls: true
}
CONF
    [ -f $DIR/pid ] && kill "$(cat $DIR/pid)" 2> /dev/null || true
    nats-server -c $DIR/nats.conf > $DIR/nats.log 2>&1 &
    echo $! > $DIR/pid
    for _ in $(seq 1 50); do
      (exec 3<> /dev/tcp/127.0.0.1/$PORT) 2> /dev/null && { echo "nats-server $(nats-server --version | awk '{print $NF}') websocket on ws://127.0.0.1:$PORT"; exit 0; }
      sleep 0.1
    done
    echo "nats-server did not start: $(cat $DIR/nats.log)" >&2; exit 1
    ;;
  stop)
    [ -f $DIR/pid ] && kill "$(cat $DIR/pid)" 2> /dev/null || true
    rm -f $DIR/pid
    ;;
  *) echo "usage: $0 start [port] | stop" >&2; exit 2 ;;
esac
