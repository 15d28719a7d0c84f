#include "table.h"

#include <algorithm>

namespace pactctl {
namespace {

const std::string& shown(const std::string& cell) {
  static const std::string kMissing = "-";
  return cell.empty() ? kMissing : cell;
}

void pad(std::ostream& out, const std::string& text, std::size_t width) {
  out << text;
  for (std::size_t used = display_width(text); used < width; ++used) out << ' ';
}

}  // namespace

std::size_t display_width(const std::string& text) {
  // Count every byte that does not continue a UTF-8 sequence (10xxxxxx).
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths(headings_.size(), 0);
  for (std::size_t column = 0; column < headings_.size(); ++column) widths[column] = display_width(headings_[column]);
  for (const auto& row : rows_) {
    for (std::size_t column = 0; column < row.size() && column < widths.size(); ++column) {
      widths[column] = std::max(widths[column], display_width(shown(row[column])));
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells, bool heading) {
    for (std::size_t column = 0; column < widths.size(); ++column) {
      const std::string empty;
      const std::string& cell = column < cells.size() ? cells[column] : empty;
      const std::string& text = heading ? cell : shown(cell);
      if (column + 1 == widths.size()) {
        out << text;  // no trailing spaces after the last column
      } else {
        pad(out, text, widths[column] + 2);
      }
    }
    out << '\n';
  };
  print_row(headings_, true);
  for (const auto& row : rows_) print_row(row, false);
}

void print_fields(std::ostream& out, const Fields& fields, const std::string& indent) {
  std::size_t width = 0;
  for (const auto& [label, value] : fields) {
    if (!value.empty()) width = std::max(width, display_width(label));
  }
  for (const auto& [label, value] : fields) {
    if (value.empty()) continue;
    out << indent;
    pad(out, label, width + 2);
    out << value << '\n';
  }
}

}  // namespace pactctl
