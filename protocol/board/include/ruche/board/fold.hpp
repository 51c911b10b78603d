#pragma once

// The fold of a log into a board, written once. Every reader of a log goes
// through it: loading a session (on from its checkpoint), the replay API's
// states at a seq, the check of an export's state, the import.

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "ruche/board/board.hpp"
#include "ruche/board/ops.hpp"
#include "ruche/board/result.hpp"

namespace ruche::protocol {

class log_fold {
  public:
    log_fold() = default;
    // On from a state read back (a checkpoint at its seq).
    explicit log_fold(board start) : board_(std::move(start)) {}

    // Applies the next op of the log (its seq must follow the board's). A
    // refusal leaves the board as it was.
    std::optional<rejection> add(const stamped_op& s);

    const board& state() const noexcept { return board_; }
    board take() && noexcept { return std::move(board_); }

  private:
    board board_;
};

// The board after the ops of `log` with seq <= `up_to` (0: all of them), or
// why one was refused.
result<board> fold(std::span<const stamped_op> log, std::uint64_t up_to = 0);

}  // namespace ruche::protocol
