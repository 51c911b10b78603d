#pragma once

// Translation of RocksDB statuses into storage error codes.

#include <rocksdb/status.h>

#include <system_error>

namespace ruche::storage::detail {

std::error_code to_error_code(const rocksdb::Status& status) noexcept;

}  // namespace ruche::storage::detail
