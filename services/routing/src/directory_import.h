#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pact/routing/v1/directory.pb.h"

// Reads directory import files (formats: docs/routing-directory.md) into organisations and
// services, with every problem found. Nothing is stored here: ImportDirectory writes the records
// only when `errors` is empty, so an import is all or nothing.
namespace pact::routing {

namespace v1 = ::pact::routing::v1;
namespace common = ::pact::common::v1;

struct DirectoryRecords {
  // As read; complete and valid only when `errors` is empty.
  std::vector<v1::Organization> organizations;
  std::vector<v1::Service> services;
  // Sorted by row: the line (JSON) or CSV row (header = 1) of the bad value, its JSON path
  // ("services[3].type", indices from 0) or CSV column, and what is wrong (no file prefix).
  std::vector<v1::ImportError> errors;
};

// Whether the directory already holds an organisation; asked only for the organisations of
// services that the file itself does not define. An empty function knows none.
using OrganizationExists = std::function<bool(const std::string& organization_id)>;

// An object with "organizations" and "services" arrays. `source_name` is for the caller's
// messages ("directory.json:12: ..."); the errors themselves carry no file name.
DirectoryRecords parse_directory_json(std::string_view content, const std::string& source_name,
                                      const OrganizationExists& organization_exists);

// One kind of record (`records`) with a header row; list cells are separated by ';'.
DirectoryRecords parse_directory_csv(std::string_view content, v1::ImportRecords records,
                                     const std::string& source_name, const OrganizationExists& organization_exists);

}  // namespace pact::routing
