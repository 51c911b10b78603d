#pragma once

// What one turn of a room says to each connection, in order, handed over in
// one hop per connection rather than one per message: a batch of 50 ops to
// a session of 50 is 50 posts, not 2,500.

#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ws_session.hpp"

namespace ruche::server {

class outbox {
  public:
    void add(const std::weak_ptr<ws_session>& to, ws_session::message m) {
        if (auto conn = to.lock()) add(conn, std::move(m));
    }
    void add(const std::shared_ptr<ws_session>& conn, ws_session::message m) {
        auto [it, fresh] = index_.try_emplace(conn.get(), parts_.size());
        if (fresh) parts_.push_back({conn, {}});
        parts_[it->second].second.push_back(std::move(m));
    }
    void send_all() {
        for (auto& [conn, messages] : parts_) conn->send(std::move(messages));
        parts_.clear();
        index_.clear();
    }

  private:
    std::vector<std::pair<std::shared_ptr<ws_session>, std::vector<ws_session::message>>> parts_;
    std::unordered_map<const ws_session*, std::size_t> index_;
};

}  // namespace ruche::server
