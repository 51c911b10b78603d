#pragma once

// Who may have an import under way. An import reads up to 32 MiB and folds
// every op, so the server takes a few at a time: one per address, and at
// most `max_total` in all (being received or waiting for the import worker).
// The answer is given from the request's header, before its body is read, so
// refused uploads cost nothing. Pure logic, thread-safe.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_set>

namespace ruche::server {

class import_gate {
  public:
    enum class verdict { admitted, address_busy, server_busy };

    explicit import_gate(std::size_t max_total) : max_total_(max_total) {}

    verdict enter(const std::string& key);
    void leave(const std::string& key);
    std::size_t under_way() const;

  private:
    std::size_t max_total_;
    mutable std::mutex mutex_;
    std::unordered_set<std::string> keys_;  // addresses with an import under way
};

// One admitted import, from its header to its answer; leaves on destruction.
class import_ticket {
  public:
    import_ticket() = default;
    import_ticket(import_gate& gate, std::string key) : gate_(&gate), key_(std::move(key)) {}
    import_ticket(import_ticket&& other) noexcept { *this = std::move(other); }
    import_ticket& operator=(import_ticket&& other) noexcept {
        if (this != &other) {
            release();
            gate_ = other.gate_;
            key_ = std::move(other.key_);
            other.gate_ = nullptr;
        }
        return *this;
    }
    import_ticket(const import_ticket&) = delete;
    import_ticket& operator=(const import_ticket&) = delete;
    ~import_ticket() { release(); }

    explicit operator bool() const { return gate_ != nullptr; }

  private:
    void release() {
        if (gate_) gate_->leave(key_);
        gate_ = nullptr;
    }
    import_gate* gate_ = nullptr;
    std::string key_;
};

}  // namespace ruche::server
