#include "connection_gate.hpp"

namespace ruche::server {

connection_gate::place connection_gate::admit(const std::string& key, bool exempt) {
    const std::lock_guard lock(mutex_);
    auto& s = shares_[key];
    const bool fits = pending_ + joined_ < limits_.max_total && pending_ < limits_.max_pending &&
                      (exempt || (s.pending + s.joined < limits_.per_address &&
                                  s.pending < limits_.pending_per_address));
    if (fits) {
        ++s.pending;
        ++pending_;
        return place::pending;
    }
    // The overflow lane is shared, but no address may take all of it.
    if (overflow_ < limits_.overflow && s.overflow < (limits_.overflow + 3) / 4) {
        ++s.overflow;
        ++overflow_;
        return place::overflow;
    }
    if (s.pending + s.joined + s.overflow == 0) shares_.erase(key);
    return place::none;
}

bool connection_gate::promote(const std::string& key) {
    const std::lock_guard lock(mutex_);
    const auto it = shares_.find(key);
    if (it == shares_.end() || it->second.pending == 0) return false;
    --it->second.pending;
    --pending_;
    ++it->second.joined;
    ++joined_;
    return true;
}

void connection_gate::release(const std::string& key, place p) {
    const std::lock_guard lock(mutex_);
    const auto it = shares_.find(key);
    if (it == shares_.end()) return;
    auto& s = it->second;
    switch (p) {
        case place::pending:
            if (s.pending) --s.pending, --pending_;
            break;
        case place::joined:
            if (s.joined) --s.joined, --joined_;
            break;
        case place::overflow:
            if (s.overflow) --s.overflow, --overflow_;
            break;
        case place::none:
            break;
    }
    if (s.pending + s.joined + s.overflow == 0) shares_.erase(it);
}

std::size_t connection_gate::total() const {
    const std::lock_guard lock(mutex_);
    return pending_ + joined_;
}

std::size_t connection_gate::pending() const {
    const std::lock_guard lock(mutex_);
    return pending_;
}

}  // namespace ruche::server
