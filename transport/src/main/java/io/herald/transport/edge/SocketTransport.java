package io.herald.transport.edge;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.Locale;

/**
 * How the edge's I/O threads drive their sockets (setting {@code edge.transport}): Linux's epoll or io_uring through
 * Netty's native transports, or the JDK's NIO selector anywhere. A listener must use the server channel of its event
 * loops' transport.
 */
public enum SocketTransport
{
    NIO
    {
        public IoHandlerFactory ioHandlerFactory()
        {
            return NioIoHandler.newFactory();
        }

        public Class<? extends ServerChannel> serverChannel()
        {
            return NioServerSocketChannel.class;
        }

        public Class<? extends SocketChannel> socketChannel()
        {
            return NioSocketChannel.class;
        }
    },
    EPOLL
    {
        public IoHandlerFactory ioHandlerFactory()
        {
            return EpollIoHandler.newFactory();
        }

        public Class<? extends ServerChannel> serverChannel()
        {
            return EpollServerSocketChannel.class;
        }

        public Class<? extends SocketChannel> socketChannel()
        {
            return EpollSocketChannel.class;
        }
    },
    IO_URING
    {
        public IoHandlerFactory ioHandlerFactory()
        {
            return IoUringIoHandler.newFactory();
        }

        public Class<? extends ServerChannel> serverChannel()
        {
            return IoUringServerSocketChannel.class;
        }

        public Class<? extends SocketChannel> socketChannel()
        {
            return IoUringSocketChannel.class;
        }
    };

    public abstract IoHandlerFactory ioHandlerFactory();

    public abstract Class<? extends ServerChannel> serverChannel();

    /**
     * @return the client socket channel of this transport (for connecting from its event loops).
     */
    public abstract Class<? extends SocketChannel> socketChannel();

    /**
     * @param name {@code auto} (epoll where it loads, else NIO), {@code epoll}, {@code io_uring} or {@code nio}.
     * @throws IllegalStateException when the transport named cannot load here, with the reason.
     */
    public static SocketTransport of(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "auto":
                return Epoll.isAvailable() ? EPOLL : NIO;
            case "epoll":
                if (!Epoll.isAvailable())
                {
                    throw new IllegalStateException("edge.transport=epoll cannot load here: " +
                        Epoll.unavailabilityCause());
                }
                return EPOLL;
            case "io_uring":
                if (!IoUring.isAvailable())
                {
                    throw new IllegalStateException("edge.transport=io_uring cannot load here: " +
                        IoUring.unavailabilityCause());
                }
                return IO_URING;
            case "nio":
                return NIO;
            default:
                throw new IllegalArgumentException("unknown edge.transport " + name);
        }
    }
}
