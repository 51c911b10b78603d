// Session and photo id validation: lowercase ASCII letters and digits.

#include <string_view>

#include "ruche/storage/op_log.hpp"

namespace ruche::storage {

bool is_valid_session_id(std::string_view id) noexcept {
    if (id.size() != session_id_size) return false;
    for (const char c : id) {
        const bool lower = c >= 'a' && c <= 'z';
        const bool digit = c >= '0' && c <= '9';
        if (!lower && !digit) return false;
    }
    return true;
}

bool is_valid_photo_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > photo_id_max) return false;
    for (const char c : id) {
        const bool lower = c >= 'a' && c <= 'z';
        const bool digit = c >= '0' && c <= '9';
        if (!lower && !digit) return false;
    }
    return true;
}

}  // namespace ruche::storage
