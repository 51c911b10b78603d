#include "ruche/server/session_log.hpp"

#include <algorithm>
#include <limits>

#include "ruche/board/fold.hpp"
#include "ruche/wire/board_json.hpp"
#include "ruche/wire/record.hpp"

namespace ruche::server {

namespace {
constexpr std::size_t read_chunk = 4096;
}

prepared_append session_log::prepare(const std::vector<logged_op>& ops,
                                     const protocol::board& after, bool with_checkpoint) {
    prepared_append out;
    if (ops.empty()) return out;
    out.records.reserve(ops.size());
    for (const auto& o : ops) {
        out.records.push_back({o.op.seq, o.client_op_id, protocol::encode_record(o.op)});
    }
    if (with_checkpoint) out.cp = storage::checkpoint{ops.back().op.seq, protocol::serialize(after)};
    return out;
}

bool session_log::checkpoint_due(std::uint64_t last_checkpoint, const protocol::board& after) const {
    const std::uint64_t items = after.notes.size() + after.themes.size() + after.participants.size();
    return checkpoint_every_ != 0 &&
           after.seq - last_checkpoint >= std::max<std::uint64_t>(checkpoint_every_, items);
}

std::error_code session_log::append(std::string_view session, const std::vector<logged_op>& ops,
                                    const protocol::board& after) {
    if (ops.empty()) return {};
    // Checkpoint when the batch crosses a multiple of `checkpoint_every_`.
    const std::uint64_t first = ops.front().op.seq;
    const std::uint64_t last = ops.back().op.seq;
    const bool crosses =
        checkpoint_every_ != 0 && (first - 1) / checkpoint_every_ != last / checkpoint_every_;
    const auto batch = prepare(ops, after, crosses);
    return log_.append(session, batch.records, batch.cp ? &*batch.cp : nullptr);
}

std::error_code session_log::replay(std::string_view session, std::uint64_t from, std::uint64_t up_to,
                                    const std::function<std::error_code(protocol::stamped_op&&)>& each) const {
    const std::uint64_t limit = up_to == 0 ? std::numeric_limits<std::uint64_t>::max() : up_to;
    std::vector<storage::record> records;
    std::uint64_t next = std::max<std::uint64_t>(from, 1);
    while (next <= limit) {
        records.clear();
        if (auto ec = log_.read(session, next, read_chunk, records)) return ec;
        for (auto& r : records) {
            if (r.seq > limit) return {};
            auto s = protocol::decode_record(r.payload);
            if (!s || s->seq != r.seq) return storage::errc::corruption;
            if (auto ec = each(std::move(s).value())) return ec;
        }
        if (records.size() < read_chunk) break;
        next = records.back().seq + 1;
    }
    return {};
}

std::error_code session_log::load(std::string_view session, protocol::board& out,
                                  std::uint64_t at_seq) const {
    const std::uint64_t limit = at_seq == 0 ? std::numeric_limits<std::uint64_t>::max() : at_seq;
    std::optional<storage::checkpoint> cp;
    if (auto ec = log_.latest_checkpoint(session, limit, cp)) return ec;
    protocol::log_fold fold;
    if (cp) {
        auto parsed = protocol::parse_json(cp->payload);
        if (!parsed) return storage::errc::corruption;
        auto restored = protocol::board_from_json(*parsed);
        if (!restored || restored->seq != cp->seq) return storage::errc::corruption;
        fold = protocol::log_fold(std::move(restored).value());
    }
    const auto ec = replay(session, fold.state().seq + 1, at_seq, [&](protocol::stamped_op&& s) {
        return fold.add(s) ? make_error_code(storage::errc::corruption) : std::error_code{};
    });
    if (ec) return ec;
    out = std::move(fold).take();
    return {};
}

std::error_code session_log::read_ops(std::string_view session,
                                      std::vector<protocol::stamped_op>& out,
                                      std::uint64_t up_to) const {
    out.clear();
    return replay(session, 1, up_to, [&](protocol::stamped_op&& s) {
        out.push_back(std::move(s));
        return std::error_code{};
    });
}

}  // namespace ruche::server
