#pragma once

// The column families of the op log and the RocksDB options they are opened
// with. The order of `column` is the order of the descriptors and handles.

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <cstddef>
#include <vector>

#include "ruche/storage/op_log.hpp"

namespace ruche::storage::detail {

enum class column : std::size_t {
    default_family,  // required by RocksDB, unused
    ops,
    op_ids,
    sessions,
    checkpoints,
    photos,
};
inline constexpr std::size_t column_count = 6;

rocksdb::DBOptions make_db_options(const options& opts);
std::vector<rocksdb::ColumnFamilyDescriptor> make_column_families();

}  // namespace ruche::storage::detail
