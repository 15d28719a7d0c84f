#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "directory_import.h"

// The checks every directory import format shares, once its reader has built the records: each
// record's validation, ids defined twice in the file, and services of unknown organisations.
namespace pact::routing {

v1::ImportError import_error(std::uint32_t row, std::string field, std::string message);

// A field of a record as the file names it: its line or row, and its JSON path or column.
struct FieldPlace {
  std::uint32_t row = 0;
  std::string field;
};

// Where a record came from. `locate` turns a validation field ("capacity.available") into the
// file's terms; `reported` lists the fields (in the file's terms) the reader already reported, so
// validation does not report the same value twice.
struct RecordPlace {
  std::function<FieldPlace(std::string_view field)> locate;
  std::vector<std::string> reported;
};

// Appends the problems of `records` (whose i-th organisation and service came from the i-th
// place) and sorts all errors by row. `row_word` names rows in messages ("line" or "row").
void check_records(const std::vector<RecordPlace>& organization_places, const std::vector<RecordPlace>& service_places,
                   std::string_view row_word, const OrganizationExists& organization_exists,
                   DirectoryRecords& records);

}  // namespace pact::routing
