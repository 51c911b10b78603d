#pragma once

// `ruche check-config`: what an administrator should know about a
// configuration before starting the server with it (a service that fails
// at its first start says less). It looks at the configuration and at the
// machine: addresses, directories, the web client, limits against the
// file descriptors the process may open.

#include <string>
#include <vector>

#include "ruche/server/config.hpp"

namespace ruche::server {

struct config_finding {
    enum class level { ok, warning, error } severity = level::ok;
    std::string what;    // the option, e.g. "--data-dir"
    std::string detail;  // what was found
};

std::vector<config_finding> check_config(const config& cfg);

// Prints the findings; the exit status: 1 when any is an error.
int check_config_command(const config& cfg);

}  // namespace ruche::server
