#pragma once

// Access logs, off unless an operator turns them on (--access-log): one line
// per HTTP request. Who asked is a pseudonym, the address digested with a key
// drawn at start: the same client reads the same within a run, and nothing
// ties it to an address or to another run. What was asked is the method and
// the path without its query, join codes masked (they let anyone join).

#include <chrono>
#include <string>
#include <string_view>

namespace ruche::server {

class access_log {
  public:
    access_log();  // draws the key

    std::string pseudonym(std::string_view address) const;
    // "/j/K7MPQ3XRT?x" -> "/j/*"; "/api/join/K7M-PQ3-XRT" -> "/api/join/*".
    static std::string loggable_path(std::string_view target);
    std::string line(std::string_view address, std::string_view method, std::string_view target,
                     unsigned status, std::chrono::microseconds took) const;

  private:
    std::string key_;
};

}  // namespace ruche::server
