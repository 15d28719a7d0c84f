#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// RFC 4180 CSV as spreadsheets write it, for directory imports.
namespace pact::routing {

// One record. `row` counts records the way a spreadsheet numbers its rows: the header is row 1, a
// cell with line breaks inside quotes is still one row, and blank lines count.
struct CsvRecord {
  std::uint32_t row = 0;
  std::vector<std::string> cells;
};

struct CsvProblem {
  std::uint32_t row = 0;
  std::string message;
};

struct CsvTable {
  std::vector<CsvRecord> records;  // the header first; blank lines left out
  std::vector<CsvProblem> problems;
};

// Splits `content` into records: fields separated by ',', records by CRLF or LF, fields in double
// quotes may hold commas, line breaks and doubled quotes (""). A UTF-8 byte order mark is skipped.
// Cells are returned as written (not trimmed).
CsvTable read_csv(std::string_view content);

}  // namespace pact::routing
