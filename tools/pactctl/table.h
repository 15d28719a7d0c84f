#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace pactctl {

// Columns aligned to their widest cell, two spaces apart, for people reading a terminal.
// Empty cells print as "-" so a missing value never shifts the eye to the next column.
class Table {
 public:
  explicit Table(std::vector<std::string> headings) : headings_(std::move(headings)) {}

  void add(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
};

// "label   value" lines with the values aligned; rows with an empty value are left out.
using Fields = std::vector<std::pair<std::string, std::string>>;
void print_fields(std::ostream& out, const Fields& fields, const std::string& indent = "");

// Display width of UTF-8 text in code points (names like "Preševo" must not break alignment).
std::size_t display_width(const std::string& text);

}  // namespace pactctl
