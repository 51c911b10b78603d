#pragma once

// One of the server's limited connection places, held for as long as a TCP
// connection lives (across the HTTP → WebSocket hand-off) and given back on
// destruction.

#include <atomic>
#include <cstddef>

namespace ruche::server {

class connection_slot {
  public:
    connection_slot() = default;
    // Takes a place if fewer than `max` are taken; check `held()`.
    connection_slot(std::atomic<std::size_t>& count, std::size_t max) {
        if (count.fetch_add(1) < max) {
            count_ = &count;
        } else {
            count.fetch_sub(1);
        }
    }
    connection_slot(connection_slot&& other) noexcept : count_(other.count_) {
        other.count_ = nullptr;
    }
    connection_slot& operator=(connection_slot&& other) noexcept {
        if (this != &other) {
            release();
            count_ = other.count_;
            other.count_ = nullptr;
        }
        return *this;
    }
    connection_slot(const connection_slot&) = delete;
    connection_slot& operator=(const connection_slot&) = delete;
    ~connection_slot() { release(); }

    bool held() const { return count_ != nullptr; }

  private:
    void release() {
        if (count_) count_->fetch_sub(1);
        count_ = nullptr;
    }
    std::atomic<std::size_t>* count_ = nullptr;
};

}  // namespace ruche::server
