#include "ruche/board/fold.hpp"

namespace ruche::protocol {

std::optional<rejection> log_fold::add(const stamped_op& s) {
    if (auto applied = apply(board_, s); !applied) return applied.error();
    return std::nullopt;
}

result<board> fold(std::span<const stamped_op> log, std::uint64_t up_to) {
    log_fold f;
    for (const auto& s : log) {
        if (up_to != 0 && s.seq > up_to) break;
        if (auto refused = f.add(s)) return *refused;
    }
    return std::move(f).take();
}

}  // namespace ruche::protocol
