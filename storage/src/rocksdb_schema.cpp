// RocksDB options for the op log.
//
// Volumes are small (a busy workshop is a few thousand notes), so the options
// favour predictability over throughput:
// - no compression: a session is a few hundred kilobytes, and uncompressed
//   files let a test check byte for byte that a deleted session is gone;
// - WAL files are never recycled or archived, so a WAL whose memtables were
//   flushed is deleted and takes its payloads with it (see delete_session);
// - one LRU block cache shared by all column families;
// - bloom filters on the point-lookup families (op_ids, sessions); ops and
//   checkpoints are only read by range;
// - photos (a few hundred kilobytes each) in blob files (RocksDB's integrated
//   BlobDB): compactions move keys, not the images; deleting a session
//   collects the garbage of every blob file (see delete_session).

#include "rocksdb_schema.hpp"

#include "rocksdb_env.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <memory>
#include <string>
#include <vector>

namespace ruche::storage::detail {
namespace {

constexpr std::size_t mib = std::size_t{1} << 20;

rocksdb::ColumnFamilyOptions family_options(const std::shared_ptr<rocksdb::Cache>& cache,
                                            bool point_lookups, std::size_t write_buffer) {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = cache;
    if (point_lookups) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));

    rocksdb::ColumnFamilyOptions family;
    family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    family.compression = rocksdb::kNoCompression;
    family.bottommost_compression = rocksdb::kNoCompression;
    family.level_compaction_dynamic_level_bytes = true;
    family.write_buffer_size = write_buffer;
    return family;
}

}  // namespace

rocksdb::DBOptions make_db_options(const options& opts) {
    rocksdb::DBOptions db;
    db.create_if_missing = opts.create_if_missing;
    db.create_missing_column_families = true;

    // Obsolete WAL files are deleted at once, never reused nor archived.
    db.recycle_log_file_num = 0;
    db.WAL_ttl_seconds = 0;
    db.WAL_size_limit_MB = 0;
    // Bounds how long a rarely written column family keeps old WALs alive.
    db.max_total_wal_size = 64 * mib;

    db.db_write_buffer_size = 64 * mib;
    db.info_log = make_logger(opts);  // no LOG file: see rocksdb_env.hpp
    return db;
}

std::vector<rocksdb::ColumnFamilyDescriptor> make_column_families() {
    const auto cache = rocksdb::NewLRUCache(32 * mib);
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.reserve(column_count);
    families.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options(cache, false, 1 * mib));
    families.emplace_back("ops", family_options(cache, false, 16 * mib));
    families.emplace_back("op_ids", family_options(cache, true, 4 * mib));
    families.emplace_back("sessions", family_options(cache, true, 4 * mib));
    families.emplace_back("checkpoints", family_options(cache, false, 8 * mib));
    auto photos = family_options(cache, true, 8 * mib);
    photos.enable_blob_files = true;
    photos.min_blob_size = 1024;  // the image parts; a photo's description stays in the SST
    photos.blob_file_size = 64 * mib;
    photos.blob_compression_type = rocksdb::kNoCompression;  // JPEG is compressed already
    photos.enable_blob_garbage_collection = true;
    families.emplace_back("photos", std::move(photos));
    return families;
}

}  // namespace ruche::storage::detail
