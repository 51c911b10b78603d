#include "ws_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace ruche::load {

std::int64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

namespace {
constexpr std::uint8_t op_continuation = 0x0, op_text = 0x1, op_close = 0x8, op_ping = 0x9,
                       op_pong = 0xA;
}

ws_pool::ws_pool(sockaddr_in server, std::string host_header)
    : server_(server), read_buffer_(256 * 1024), events_(1024) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw std::runtime_error("epoll_create1 failed");
    upgrade_request_ =
        "GET /ws HTTP/1.1\r\nHost: " + host_header +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

ws_pool::~ws_pool() {
    for (auto& c : conns_) {
        if (c.fd >= 0) ::close(c.fd);
    }
    ::close(epoll_fd_);
}

std::size_t ws_pool::open() {
    conns_.emplace_back();
    const std::size_t c = conns_.size() - 1;
    conns_[c].mask_seed = static_cast<std::uint32_t>(c * 2654435761u + 1);
    start(c);
    return c;
}

void ws_pool::reopen(std::size_t c) {
    if (conns_[c].state != phase::closed) close_connection(c);
    conns_[c].out.clear();  // what the old connection had not sent yet is not the new one's
    start(c);
}

void ws_pool::start(std::size_t c) {
    auto& k = conns_[c];
    k.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (k.fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    int one = 1;
    setsockopt(k.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    k.in.clear();
    k.message.clear();
    // Whatever was queued while closed waits behind the upgrade request.
    k.out.insert(0, upgrade_request_);
    k.reading = true;
    k.state = phase::connecting;
    const int rc = ::connect(k.fd, reinterpret_cast<const sockaddr*>(&server_), sizeof server_);
    if (rc < 0 && errno != EINPROGRESS) {
        throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u64 = c;
    k.want_write = true;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, k.fd, &ev);
}

void ws_pool::update_interest(std::size_t c) {
    auto& k = conns_[c];
    const bool want_write = !k.out.empty() || k.state == phase::connecting;
    epoll_event ev{};
    ev.events = (k.reading ? EPOLLIN : 0u) | (want_write ? EPOLLOUT : 0u);
    ev.data.u64 = c;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, k.fd, &ev);
    k.want_write = want_write;
}

void ws_pool::set_reading(std::size_t c, bool reading) {
    conns_[c].reading = reading;
    if (conns_[c].fd >= 0) update_interest(c);
}

void ws_pool::frame_out(std::size_t c, std::uint8_t opcode, std::string_view payload) {
    auto& k = conns_[c];
    char header[14];
    std::size_t n = 0;
    header[n++] = static_cast<char>(0x80 | opcode);
    if (payload.size() < 126) {
        header[n++] = static_cast<char>(0x80 | payload.size());
    } else if (payload.size() <= 0xFFFF) {
        header[n++] = static_cast<char>(0x80 | 126);
        header[n++] = static_cast<char>(payload.size() >> 8);
        header[n++] = static_cast<char>(payload.size() & 0xFF);
    } else {
        header[n++] = static_cast<char>(0x80 | 127);
        for (int i = 7; i >= 0; --i) header[n++] = static_cast<char>((payload.size() >> (8 * i)) & 0xFF);
    }
    // Clients must mask (RFC 6455 5.3); the key only needs to vary.
    k.mask_seed ^= k.mask_seed << 13;
    k.mask_seed ^= k.mask_seed >> 17;
    k.mask_seed ^= k.mask_seed << 5;
    char mask[4];
    std::memcpy(mask, &k.mask_seed, 4);
    std::memcpy(header + n, mask, 4);
    n += 4;
    k.out.append(header, n);
    const std::size_t start = k.out.size();
    k.out.append(payload);
    for (std::size_t i = 0; i < payload.size(); ++i) k.out[start + i] ^= mask[i & 3];
}

void ws_pool::send_text(std::size_t c, std::string_view text) {
    frame_out(c, op_text, text);
    if (conns_[c].state == phase::open) flush(c);
}

void ws_pool::drop(std::size_t c) {
    if (conns_[c].state == phase::closed) return;
    linger hard{1, 0};  // RST: the server sees the client vanish mid-stream
    setsockopt(conns_[c].fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    close_connection(c);
    conns_[c].out.clear();
}

void ws_pool::close_connection(std::size_t c) {
    auto& k = conns_[c];
    if (k.fd >= 0) {
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, k.fd, nullptr);
        ::close(k.fd);
    }
    k.fd = -1;
    const bool was_open = k.state != phase::closed;
    k.state = phase::closed;
    if (was_open && on_closed_) on_closed_(c);
}

void ws_pool::flush(std::size_t c) {
    auto& k = conns_[c];
    while (!k.out.empty()) {
        const ssize_t n = ::send(k.fd, k.out.data(), k.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            k.out.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        close_connection(c);
        return;
    }
    const bool want_write = !k.out.empty();
    if (want_write != k.want_write) update_interest(c);
}

void ws_pool::poll(int timeout_ms) {
    const int n = epoll_wait(epoll_fd_, events_.data(), static_cast<int>(events_.size()), timeout_ms);
    for (int i = 0; i < n; ++i) handle(events_[i].data.u64, events_[i].events);
}

void ws_pool::handle(std::size_t c, std::uint32_t events) {
    auto& k = conns_[c];
    if (k.state == phase::closed) return;
    if (k.state == phase::connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(k.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            close_connection(c);
            return;
        }
        // Only the upgrade request goes first; frames queued meanwhile wait for the 101.
        const ssize_t n = ::send(k.fd, upgrade_request_.data(), upgrade_request_.size(), MSG_NOSIGNAL);
        if (n != static_cast<ssize_t>(upgrade_request_.size())) {
            close_connection(c);
            return;
        }
        k.out.erase(0, upgrade_request_.size());
        k.state = phase::upgrading;
        update_interest(c);
        return;
    }
    if (events & EPOLLIN) read_all(c);
    if (conns_[c].state == phase::open && (events & EPOLLOUT)) flush(c);
    if (conns_[c].state != phase::closed && (events & (EPOLLERR | EPOLLHUP)) && !(events & EPOLLIN)) {
        close_connection(c);
    }
}

void ws_pool::read_all(std::size_t c) {
    for (;;) {
        auto& k = conns_[c];
        if (k.state == phase::closed || !k.reading) return;
        const ssize_t n = ::recv(k.fd, read_buffer_.data(), read_buffer_.size(), 0);
        if (n == 0) {
            close_connection(c);
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) close_connection(c);
            return;
        }
        bytes_received_ += static_cast<std::uint64_t>(n);
        k.in.append(read_buffer_.data(), static_cast<std::size_t>(n));
        if (k.state == phase::upgrading) {
            const auto end = k.in.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            if (k.in.compare(0, 12, "HTTP/1.1 101") != 0) {
                close_connection(c);
                return;
            }
            k.in.erase(0, end + 4);
            k.state = phase::open;
            flush(c);  // the frames queued before the upgrade
            if (k.state != phase::open) return;
        }
        parse_frames(c);
        if (static_cast<std::size_t>(n) < read_buffer_.size()) return;
    }
}

void ws_pool::parse_frames(std::size_t c) {
    std::size_t pos = 0;
    for (;;) {
        auto& k = conns_[c];
        const std::string& in = k.in;
        const std::size_t avail = in.size() - pos;
        if (avail < 2) break;
        const auto b0 = static_cast<std::uint8_t>(in[pos]);
        const auto b1 = static_cast<std::uint8_t>(in[pos + 1]);
        std::size_t header = 2;
        std::uint64_t len = b1 & 0x7F;
        if (len == 126) {
            if (avail < 4) break;
            len = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[pos + 2])) << 8) |
                  static_cast<std::uint8_t>(in[pos + 3]);
            header = 4;
        } else if (len == 127) {
            if (avail < 10) break;
            len = 0;
            for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<std::uint8_t>(in[pos + 2 + i]);
            header = 10;
        }
        if (b1 & 0x80) header += 4;  // a server must not mask; tolerated
        if (avail < header + len) break;
        const std::string_view payload(in.data() + pos + header, len);
        const std::uint8_t opcode = b0 & 0x0F;
        const bool fin = (b0 & 0x80) != 0;
        pos += header + len;
        if (opcode == op_ping) {
            frame_out(c, op_pong, payload);
            flush(c);
        } else if (opcode == op_close) {
            frame_out(c, op_close, payload.substr(0, 2));
            flush(c);
            close_connection(c);
            return;
        } else if (opcode == op_text || opcode == op_continuation) {
            if (opcode == op_text && fin) {
                ++frames_received_;
                if (on_message_) on_message_(c, payload);
            } else {
                k.message.append(payload);
                if (fin) {
                    ++frames_received_;
                    std::string whole = std::move(k.message);
                    k.message.clear();
                    if (on_message_) on_message_(c, whole);
                }
            }
            if (conns_[c].state == phase::closed) return;
        } else if (opcode != op_pong) {
            close_connection(c);
            return;
        }
    }
    conns_[c].in.erase(0, pos);
}

}  // namespace ruche::load
