#include "csv_table.h"

#include <utility>

namespace pact::routing {
namespace {

// Reads one record at a time; `position` moves through the content.
class CsvScanner {
 public:
  explicit CsvScanner(std::string_view content) : content_(content) {
    if (content_.starts_with("\xEF\xBB\xBF")) content_.remove_prefix(3);
  }

  CsvTable read() {
    while (position_ < content_.size()) {
      if (!read_record()) break;
    }
    return std::move(table_);
  }

 private:
  bool at_end() const { return position_ >= content_.size(); }
  char peek() const { return content_[position_]; }

  // Reads up to and including the record's line break. False when the content ends inside quotes.
  bool read_record() {
    CsvRecord record{row_, {}};
    while (true) {
      std::string cell;
      const bool quoted = !at_end() && peek() == '"';
      if (quoted && !read_quoted(cell)) return false;
      read_unquoted(cell, quoted);
      record.cells.push_back(std::move(cell));
      if (at_end()) break;
      if (peek() == ',') {
        ++position_;
        continue;
      }
      skip_line_break();
      break;
    }
    const bool blank = record.cells.size() == 1 && record.cells.front().empty();
    if (!blank) table_.records.push_back(std::move(record));
    ++row_;
    return true;
  }

  // After the opening quote: up to the closing quote. Line breaks inside are kept, CRLF as LF.
  bool read_quoted(std::string& cell) {
    ++position_;
    while (!at_end()) {
      char c = content_[position_++];
      if (c == '"') {
        if (at_end() || peek() != '"') return true;
        ++position_;
      } else if (c == '\r' && !at_end() && peek() == '\n') {
        continue;
      }
      cell += c;
    }
    table_.problems.push_back({row_, "a quoted field is not closed before the end of the file"});
    return false;
  }

  // Plain text up to the next ',' or line break (after a closing quote there should be none).
  void read_unquoted(std::string& cell, bool after_quote) {
    bool reported = false;
    while (!at_end() && peek() != ',' && peek() != '\n' && !(peek() == '\r' && next_is('\n'))) {
      if (!reported && (after_quote || peek() == '"')) {
        table_.problems.push_back({row_, after_quote ? "text after the closing quote of a field"
                                                     : "a quote inside an unquoted field (quote the whole field "
                                                       "and write a quote inside it as \"\")"});
        reported = true;
      }
      cell += content_[position_++];
    }
  }

  bool next_is(char c) const { return position_ + 1 < content_.size() && content_[position_ + 1] == c; }

  void skip_line_break() {
    if (peek() == '\r') ++position_;
    if (!at_end() && peek() == '\n') ++position_;
  }

  std::string_view content_;
  std::size_t position_ = 0;
  std::uint32_t row_ = 1;
  CsvTable table_;
};

}  // namespace

CsvTable read_csv(std::string_view content) { return CsvScanner(content).read(); }

}  // namespace pact::routing
