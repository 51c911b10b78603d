#include "access_log.hpp"

#include "secrets.hpp"

namespace ruche::server {

access_log::access_log() : key_(random_token()) {}

std::string access_log::pseudonym(std::string_view address) const {
    std::string keyed = key_;
    keyed += '|';
    keyed += address;
    return token_digest(keyed).substr(0, 12);  // 72 bits: no two clients of a run share one
}

std::string access_log::loggable_path(std::string_view target) {
    std::string_view path = target.substr(0, target.find('?'));
    for (std::string_view secret_after : {"/j/", "/api/join/"}) {
        if (path.starts_with(secret_after) && path.size() > secret_after.size()) {
            return std::string(secret_after) + "*";
        }
    }
    return std::string(path);
}

std::string access_log::line(std::string_view address, std::string_view method, std::string_view target,
                             unsigned status, std::chrono::microseconds took) const {
    return "access " + pseudonym(address) + " " + std::string(method) + " " + loggable_path(target) + " " +
           std::to_string(status) + " " + std::to_string(took.count() / 1000) + "." +
           std::to_string(took.count() % 1000 / 100) + " ms";
}

}  // namespace ruche::server
