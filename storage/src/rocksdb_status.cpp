// rocksdb::Status -> ruche::storage::errc.

#include "rocksdb_status.hpp"

#include "ruche/storage/op_log.hpp"

namespace ruche::storage::detail {

std::error_code to_error_code(const rocksdb::Status& status) noexcept {
    if (status.ok()) return {};
    if (status.IsNotFound()) return errc::not_found;
    if (status.IsCorruption()) return errc::corruption;
    if (status.IsNoSpace()) return errc::no_space;
    if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) return errc::busy;
    // IOError, InvalidArgument, NotSupported, ShutdownInProgress...
    return errc::io_error;
}

}  // namespace ruche::storage::detail
