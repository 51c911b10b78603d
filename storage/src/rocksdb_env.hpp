#pragma once

// What RocksDB is given to talk to the outside: its info logger and, for
// tests, a file system that fails on demand.

#include <rocksdb/env.h>

#include <memory>

#include "ruche/storage/op_log.hpp"

namespace ruche::storage::detail {

// RocksDB's warnings and errors, handed to `options::log`. RocksDB's own
// file logger asserts when it writes after a failed write, which aborts the
// whole process on a full disk (Debian builds RocksDB with assertions on);
// this one writes no file.
std::shared_ptr<rocksdb::Logger> make_logger(const options& opts);

// The default Env, with its file system wrapped so that `faults` can make
// every write fail. Null when `faults` is: RocksDB's default Env is used.
std::unique_ptr<rocksdb::Env> make_faulty_env(std::shared_ptr<disk_faults> faults);

}  // namespace ruche::storage::detail
