#include "ruche/wire/wire_errc.hpp"

#include <string>
#include <string_view>

namespace ruche::protocol {
namespace {

code_info info(wire_errc e) noexcept {
    switch (e) {
        case wire_errc::unknown_type:
            return {"unknown_type", "unknown message type"};
        case wire_errc::binary_frame:
            return {"binary_frame", "messages are JSON text frames, not binary"};
        case wire_errc::hello_required:
            return {"hello_required", "say hello first"};
        case wire_errc::already_joined:
            return {"already_joined", "this connection has already joined a session"};
        case wire_errc::unknown_join_code:
            return {"unknown_join_code", "no session has this code"};
        case wire_errc::invalid_token:
            return {"invalid_token", "this token is not valid for this session"};
        case wire_errc::too_many_attempts:
            return {"too_many_attempts", "too many failed attempts, wait a minute"};
        case wire_errc::rate_limited:
            return {"rate_limited", "too many messages, slow down"};
        case wire_errc::storage_unavailable:
            return {"storage_unavailable", "the operation could not be saved, try again"};
        case wire_errc::too_many_joins:
            return {"too_many_joins", "many people are joining this session at once, try again in a few seconds"};
        case wire_errc::session_full:
            return {"session_full", "this session has as many participants as it may take"};
        case wire_errc::corrupt_record:
            return {"corrupt_record", "an op-log record does not decode"};
        case wire_errc::unknown_photo:
            return {"unknown_photo", "no such photo of yours in this session: upload it first"};
    }
    return {"unknown_error", "unknown error"};
}

}  // namespace

const std::error_category& wire_category() noexcept {
    static const code_table_category<wire_errc, info> instance("ruche.wire");
    return instance;
}

std::error_code make_error_code(wire_errc e) noexcept {
    return {static_cast<int>(e), wire_category()};
}

}  // namespace ruche::protocol
