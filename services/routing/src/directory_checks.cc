#include "directory_checks.h"

#include <algorithm>
#include <map>
#include <utility>

#include "config/yaml_reader.h"
#include "directory_validation.h"

namespace pact::routing {
namespace {

// "area.jurisdictions" and "area.jurisdictions[0]" name the same value as far as reporting goes.
bool same_value(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return b.starts_with(a) && (b.size() == a.size() || b[a.size()] == '.' || b[a.size()] == '[');
}

class Checker {
 public:
  Checker(std::string_view row_word, DirectoryRecords& records) : row_word_(row_word), records_(records) {}

  void problems(const RecordPlace& place, const std::vector<FieldProblem>& problems) {
    for (const FieldProblem& problem : problems) {
      FieldPlace field = place.locate(problem.field);
      const bool reported = std::any_of(place.reported.begin(), place.reported.end(),
                                        [&](const std::string& done) { return same_value(done, field.field); });
      if (!reported) add(std::move(field), problem.message);
    }
  }

  // Remembers where an id was first defined; reports any later definition.
  void unique(std::map<std::string, std::uint32_t>& first, const RecordPlace& place, const std::string& id,
              std::string_view what) {
    if (id.empty()) return;
    FieldPlace field = place.locate("id");
    auto [it, fresh] = first.emplace(id, field.row);
    if (!fresh) {
      add(std::move(field), "duplicate " + std::string(what) + " id '" + id + "' (first defined at " +
                                std::string(row_word_) + " " + std::to_string(it->second) + ")");
    }
  }

  void add(FieldPlace field, std::string message) {
    records_.errors.push_back(import_error(field.row, std::move(field.field), std::move(message)));
  }

 private:
  std::string_view row_word_;
  DirectoryRecords& records_;
};

}  // namespace

v1::ImportError import_error(std::uint32_t row, std::string field, std::string message) {
  v1::ImportError error;
  error.set_row(row);
  error.set_field(std::move(field));
  error.set_message(std::move(message));
  return error;
}

void check_records(const std::vector<RecordPlace>& organization_places, const std::vector<RecordPlace>& service_places,
                   std::string_view row_word, const OrganizationExists& organization_exists,
                   DirectoryRecords& records) {
  Checker checker(row_word, records);
  std::map<std::string, std::uint32_t> organization_ids;
  for (std::size_t i = 0; i < records.organizations.size(); ++i) {
    const v1::Organization& organization = records.organizations[i];
    checker.problems(organization_places[i], organization_problems(organization));
    checker.unique(organization_ids, organization_places[i], organization.organization_id(), "organisation");
  }

  std::map<std::string, std::uint32_t> service_ids;
  std::map<std::string, bool> in_directory;
  for (std::size_t i = 0; i < records.services.size(); ++i) {
    const v1::Service& service = records.services[i];
    const RecordPlace& place = service_places[i];
    checker.problems(place, service_problems(service));
    checker.unique(service_ids, place, service.service_id(), "service");

    // A malformed id is already reported; the directory is asked once per organisation.
    const std::string& owner = service.organization_id();
    if (!config::is_identifier(owner) || organization_ids.contains(owner)) continue;
    auto [known, fresh] = in_directory.try_emplace(owner, false);
    if (fresh) known->second = organization_exists && organization_exists(owner);
    if (!known->second) {
      checker.add(place.locate("organization"),
                  "unknown organisation '" + owner + "': neither in this file nor in the directory");
    }
  }

  std::stable_sort(records.errors.begin(), records.errors.end(),
                   [](const v1::ImportError& a, const v1::ImportError& b) { return a.row() < b.row(); });
}

}  // namespace pact::routing
