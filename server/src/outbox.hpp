#pragma once

// What one turn of a room says to each connection, in order, handed over in
// one hop per connection rather than one per message: a batch of 50 ops to
// a session of 50 is 50 posts, not 2,500.

#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ws_connection.hpp"

namespace ruche::server {

class outbox {
  public:
    void add(const std::weak_ptr<ws_connection>& to, ws_connection::message m) {
        if (auto conn = to.lock()) add(conn, std::move(m));
    }
    void add(const std::shared_ptr<ws_connection>& conn, ws_connection::message m) {
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
    std::vector<std::pair<std::shared_ptr<ws_connection>, std::vector<ws_connection::message>>> parts_;
    std::unordered_map<const ws_connection*, std::size_t> index_;
};

}  // namespace ruche::server
