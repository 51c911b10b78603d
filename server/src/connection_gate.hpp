#pragma once

// Who may hold the server's connection places. Pure logic, thread-safe, no
// clock: callers count a connection in when it is accepted, promote it once
// it has joined a session, and count it out when it closes.
//
// Fair shares:
// - one address (an IPv4 address, or an IPv6 /64) holds at most
//   `per_address` places, and at most `pending_per_address` of them before
//   they join a session (HTTP requests, WebSockets before their hello);
// - connections that have not joined hold at most `max_pending` places in
//   all, so `max_total - max_pending` stay for people who joined a session;
// - past every limit, `overflow` more connections may come in for a moment,
//   to be told the server is full (and /healthz answered) rather than cut.

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ruche::server {

class connection_gate {
  public:
    struct limits {
        std::size_t max_total = 2000;
        std::size_t max_pending = 1750;
        std::size_t per_address = 500;
        std::size_t pending_per_address = 250;
        std::size_t overflow = 32;
    };
    enum class place { none, pending, joined, overflow };

    explicit connection_gate(limits l) : limits_(l) {}

    // A new connection from `key`: pending, overflow, or none (refused).
    // An `exempt` key (a trusted reverse proxy, carrying many people) is held
    // only to the totals, not to an address's shares.
    place admit(const std::string& key, bool exempt = false);
    // A pending connection joined a session (its address's share is
    // unchanged: it was counted at admit). False if it was not pending.
    bool promote(const std::string& key);
    void release(const std::string& key, place p);

    std::size_t total() const;    // pending and joined
    std::size_t pending() const;

  private:
    struct share {
        std::size_t pending = 0;
        std::size_t joined = 0;
        std::size_t overflow = 0;
    };
    limits limits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, share> shares_;  // addresses holding a place
    std::size_t pending_ = 0;
    std::size_t joined_ = 0;
    std::size_t overflow_ = 0;
};

// One connection's place, held for as long as the TCP connection lives
// (across the HTTP → WebSocket hand-off) and given back on destruction.
class connection_slot {
  public:
    connection_slot() = default;
    connection_slot(connection_gate& gate, std::string key, bool exempt = false)
        : gate_(&gate), key_(std::move(key)), place_(gate.admit(key_, exempt)) {}
    connection_slot(connection_slot&& other) noexcept { *this = std::move(other); }
    connection_slot& operator=(connection_slot&& other) noexcept {
        if (this != &other) {
            release();
            gate_ = other.gate_;
            key_ = std::move(other.key_);
            place_ = other.place_;
            other.place_ = connection_gate::place::none;
        }
        return *this;
    }
    connection_slot(const connection_slot&) = delete;
    connection_slot& operator=(const connection_slot&) = delete;
    ~connection_slot() { release(); }

    connection_gate::place place() const { return place_; }
    const std::string& key() const { return key_; }
    // Pending → joined; see connection_gate::promote. True if joined.
    bool promote() {
        if (place_ == connection_gate::place::pending && gate_->promote(key_)) {
            place_ = connection_gate::place::joined;
        }
        return place_ == connection_gate::place::joined;
    }

  private:
    void release() {
        if (place_ != connection_gate::place::none) gate_->release(key_, place_);
        place_ = connection_gate::place::none;
    }
    connection_gate* gate_ = nullptr;
    std::string key_;
    connection_gate::place place_ = connection_gate::place::none;
};

}  // namespace ruche::server
