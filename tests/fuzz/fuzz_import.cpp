// Session imports, as uploaded: parse_session_export reads the text as a
// stream within its limits and never crashes or runs away; when the text is
// JSON, the streamed reading agrees with reading the whole document
// (read_session_export), op for op.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_target.hpp"
#include "ruche/board/errc.hpp"
#include "ruche/wire/codec.hpp"
#include "ruche/wire/session_export.hpp"

using namespace ruche::protocol;
using ruche::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const export_limits limits{.max_depth = 32, .max_ops = 2000, .max_notes = 500};
    auto streamed = parse_session_export(text, limits);
    if (!streamed && streamed.error().code == errc::too_long) return 0;
    auto j = parse_json(text);
    if (!j) {
        require(!streamed.ok(), "an import that is not JSON is refused");
        return 0;
    }
    auto whole = read_session_export(*j);
    require(whole.ok() == streamed.ok(), "streamed and whole readings accept the same imports");
    if (whole) require(*whole == *streamed, "streamed and whole readings give the same log");
    return 0;
}
