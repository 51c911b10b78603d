#pragma once

// Client WebSocket connections driven by one epoll loop: thousands of them on
// one thread, so the load generator is never what limits a measurement. Only
// what a benchmark needs: connect, upgrade, masked text frames out, server
// frames in (text, ping answered, close), no extensions.

#include <sys/epoll.h>
#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ruche::load {

std::int64_t now_ns();  // CLOCK_MONOTONIC

class ws_pool {
  public:
    // on_message(connection, text); on_closed(connection) after a close or an error.
    using message_handler = std::function<void(std::size_t, std::string_view)>;
    using close_handler = std::function<void(std::size_t)>;

    ws_pool(sockaddr_in server, std::string host_header);
    ~ws_pool();
    ws_pool(const ws_pool&) = delete;
    ws_pool& operator=(const ws_pool&) = delete;

    void on_message(message_handler h) { on_message_ = std::move(h); }
    void on_closed(close_handler h) { on_closed_ = std::move(h); }

    // Starts a new connection (non-blocking connect + upgrade); its index is returned.
    // Messages queued before the upgrade completes are sent after it.
    std::size_t open();
    // Starts again on an existing index (after it closed).
    void reopen(std::size_t c);
    void send_text(std::size_t c, std::string_view text);
    // Drops the TCP connection at once, without a close frame.
    void drop(std::size_t c);
    // Stops reading from a connection (a slow reader) or starts again.
    void set_reading(std::size_t c, bool reading);

    bool upgraded(std::size_t c) const { return conns_[c].state == phase::open; }
    bool is_closed(std::size_t c) const { return conns_[c].state == phase::closed; }
    std::size_t size() const { return conns_.size(); }

    // Waits for events at most `timeout_ms` and handles them.
    void poll(int timeout_ms);

    std::uint64_t frames_received() const { return frames_received_; }
    std::uint64_t bytes_received() const { return bytes_received_; }

  private:
    enum class phase { connecting, upgrading, open, closed };
    struct connection {
        int fd = -1;
        phase state = phase::closed;
        bool reading = true;
        bool want_write = false;
        std::string out;     // bytes not yet written
        std::string in;      // bytes of an unfinished frame (or the upgrade answer)
        std::string message; // a fragmented message being put together
        std::uint32_t mask_seed = 1;
    };

    void start(std::size_t c);
    void handle(std::size_t c, std::uint32_t events);
    void flush(std::size_t c);
    void read_all(std::size_t c);
    void parse_frames(std::size_t c);
    void frame_out(std::size_t c, std::uint8_t opcode, std::string_view payload);
    void close_connection(std::size_t c);
    void update_interest(std::size_t c);

    sockaddr_in server_;
    std::string upgrade_request_;
    int epoll_fd_ = -1;
    std::vector<connection> conns_;
    std::vector<char> read_buffer_;
    std::vector<epoll_event> events_;
    message_handler on_message_;
    close_handler on_closed_;
    std::uint64_t frames_received_ = 0;
    std::uint64_t bytes_received_ = 0;
};

}  // namespace ruche::load
