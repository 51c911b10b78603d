#include "import_gate.hpp"

namespace ruche::server {

import_gate::verdict import_gate::enter(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (keys_.contains(key)) return verdict::address_busy;
    if (keys_.size() >= max_total_) return verdict::server_busy;
    keys_.insert(key);
    return verdict::admitted;
}

void import_gate::leave(const std::string& key) {
    std::lock_guard lock(mutex_);
    keys_.erase(key);
}

std::size_t import_gate::under_way() const {
    std::lock_guard lock(mutex_);
    return keys_.size();
}

}  // namespace ruche::server
