// Records of the op log, as read back at load and replay: whatever bytes a
// damaged disk holds, decode_record accepts only what the JSON decoder of the
// log accepts (what the server wrote), and what it accepts writes back to
// the same op.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_target.hpp"
#include "ruche/wire/codec.hpp"
#include "ruche/wire/record.hpp"

using namespace ruche::protocol;
using ruche::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto record = decode_record(bytes);
    if (!record) return 0;
    auto as_json = decode_stamped(encode_stamped(*record));
    require(as_json.ok(), "a record is accepted only when its JSON would be");
    require(*as_json == *record, "a record and its JSON hold the same op");
    auto again = decode_record(encode_record(*record));
    require(again.ok() && *again == *record, "a record written again reads back the same");
    return 0;
}
