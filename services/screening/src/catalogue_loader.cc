#include "catalogue_loader.h"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <cctype>
#include <set>
#include <sstream>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"

namespace pact::screening {
namespace {

using config::NameTable;
using config::is_identifier;
using config::is_language_tag;

const NameTable<v1::IndicatorList> kLists = {
    {"adult_labour", v1::INDICATOR_LIST_ADULT_LABOUR}, {"adult_sexual", v1::INDICATOR_LIST_ADULT_SEXUAL},
    {"child_labour", v1::INDICATOR_LIST_CHILD_LABOUR}, {"child_sexual", v1::INDICATOR_LIST_CHILD_SEXUAL},
    {"health", v1::INDICATOR_LIST_HEALTH},             {"child", v1::INDICATOR_LIST_CHILD},
    {"sector_specific", v1::INDICATOR_LIST_SECTOR_SPECIFIC}};
const NameTable<int> kDimensions = {{"deceptive_recruitment", 1},
                                    {"coercive_recruitment", 2},
                                    {"recruitment_by_abuse_of_vulnerability", 3},
                                    {"exploitative_conditions", 4},
                                    {"coercion_at_destination", 5},
                                    {"abuse_of_vulnerability_at_destination", 6}};
const NameTable<v1::Strength> kStrengths = {
    {"strong", v1::STRENGTH_STRONG}, {"medium", v1::STRENGTH_MEDIUM}, {"weak", v1::STRENGTH_WEAK}};
const NameTable<v1::IndicatorCategory> kCategories = {{"physical", v1::INDICATOR_CATEGORY_PHYSICAL},
                                                      {"psychological", v1::INDICATOR_CATEGORY_PSYCHOLOGICAL},
                                                      {"behavioural", v1::INDICATOR_CATEGORY_BEHAVIOURAL},
                                                      {"situational", v1::INDICATOR_CATEGORY_SITUATIONAL}};
const NameTable<common::v1::Sector> kSectors = {{"police", common::v1::SECTOR_POLICE},
                                                {"social_welfare", common::v1::SECTOR_SOCIAL_WELFARE},
                                                {"health", common::v1::SECTOR_HEALTH},
                                                {"protection_facility", common::v1::SECTOR_PROTECTION_FACILITY},
                                                {"education", common::v1::SECTOR_EDUCATION},
                                                {"employment", common::v1::SECTOR_EMPLOYMENT}};
// Only flags an observation can imply; presumed child and unaccompanied come from age and companion.
const NameTable<FlagSet> kIndicatorFlags = {
    {"urgent_medical", kUrgentMedical}, {"immediate_danger", kImmediateDanger}, {"language_barrier", kLanguageBarrier}};
const NameTable<common::v1::Jurisdiction> kJurisdictions = {
    {"regional", common::v1::JURISDICTION_UNSPECIFIED}, {"AL", common::v1::JURISDICTION_AL},
    {"BA", common::v1::JURISDICTION_BA},                {"XK", common::v1::JURISDICTION_XK},
    {"ME", common::v1::JURISDICTION_ME},                {"MK", common::v1::JURISDICTION_MK},
    {"RS", common::v1::JURISDICTION_RS}};

// The shared data-file reader plus the localised texts catalogues are written in.
class Reader : public config::YamlReader {
 public:
  using config::YamlReader::YamlReader;

  // A map language -> text; `en` required when the text is.
  LocalisedText text(const YAML::Node& parent, const char* key, std::string_view where, bool required) {
    LocalisedText out;
    YAML::Node node = parent[key];
    if (!node) {
      if (required) problem(parent, std::string(where) + ": missing '" + key + "'");
      return out;
    }
    if (!node.IsMap()) {
      problem(node, std::string(where) + ": '" + key + "' must map languages to texts, e.g. {en: \"...\"}");
      return out;
    }
    for (const auto& entry : node) {
      auto language = entry.first.as<std::string>();
      if (!is_language_tag(language)) {
        problem(entry.first, std::string(where) + ": '" + language + "' is not a BCP 47 language tag");
        continue;
      }
      if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
        problem(entry.second, std::string(where) + ": " + key + "." + language + " must be a non-empty text");
        continue;
      }
      out.set(language, entry.second.Scalar());
    }
    if (!out.has("en")) problem(node, std::string(where) + ": '" + key + "' has no English ('en') text");
    return out;
  }
};

std::optional<DimensionMask> dimension_group(Reader& reader, const YAML::Node& node) {
  if (!node.IsSequence() || node.size() == 0) {
    reader.problem(node, "rules: a combination group must be a non-empty list of dimensions");
    return std::nullopt;
  }
  DimensionMask mask = 0;
  for (const auto& item : node) {
    if (auto dimension = reader.name(item, kDimensions, "dimension")) mask |= static_cast<DimensionMask>(1 << *dimension);
  }
  return mask;
}

CombinationRule combination(Reader& reader, const YAML::Node& rules, const char* key) {
  CombinationRule rule;
  for (const YAML::Node& group : reader.sequence(rules, key, "rules", true)) {
    if (auto mask = dimension_group(reader, group)) rule.groups.push_back(*mask);
  }
  if (rules[key] && rules[key].IsSequence() && rules[key].size() == 0) {
    reader.problem(rules[key], std::string("rules: ") + key + " needs at least one group of dimensions");
  }
  return rule;
}

CatalogueRules parse_rules(Reader& reader, const YAML::Node& rules) {
  CatalogueRules out;
  reader.only_keys(rules,
                   {"dimension_positive_when", "adult_combination", "child_combination",
                    "further_assessment_when_positive_dimensions"},
                   "rules");
  for (const YAML::Node& when : reader.sequence(rules, "dimension_positive_when", "rules", true)) {
    reader.only_keys(when, {"strong", "medium", "weak", "medium_or_weak"}, "dimension_positive_when");
    PositiveCombination combination;
    if (!when.IsMap()) {
      reader.problem(when, "dimension_positive_when: each entry is a map such as {strong: 1, medium_or_weak: 1}");
      continue;
    }
    for (auto [key, field] : {std::pair{"strong", &combination.strong}, std::pair{"medium", &combination.medium},
                              std::pair{"weak", &combination.weak},
                              std::pair{"medium_or_weak", &combination.medium_or_weak}}) {
      if (when[key]) *field = reader.count(when[key], std::string("dimension_positive_when.") + key).value_or(0);
    }
    if (combination.strong + combination.medium + combination.weak + combination.medium_or_weak == 0) {
      // A clause of zeros would make every dimension positive without any observation.
      reader.problem(when, "dimension_positive_when: a clause must require at least one indicator");
    }
    out.dimension_positive_when.push_back(combination);
  }
  out.adult_combination = combination(reader, rules, "adult_combination");
  out.child_combination = combination(reader, rules, "child_combination");
  if (rules["further_assessment_when_positive_dimensions"]) {
    out.further_assessment_when_positive_dimensions =
        reader.count(rules["further_assessment_when_positive_dimensions"], "further_assessment_when_positive_dimensions")
            .value_or(0);
  }
  return out;
}

void parse_indicator(Reader& reader, const YAML::Node& node, const std::set<v1::IndicatorList>& declared,
                     Catalogue& catalogue, std::map<std::string, int>& seen) {
  Indicator indicator;
  indicator.line = Reader::line(node);
  if (!node.IsMap()) {
    reader.problem(node, "indicators: each entry must be a map");
    return;
  }
  reader.only_keys(node, {"id", "list", "dimension", "category", "strength", "text", "question", "sectors",
                          "sets_flags", "source"},
                   "indicator");
  auto id = reader.scalar(node, "id", "indicator");
  std::string where = "indicator " + id.value_or("?");
  if (id) {
    if (!is_identifier(*id, true)) reader.problem(node["id"], where + ": id must match [A-Z0-9][A-Z0-9-]+");
    if (auto [it, fresh] = seen.emplace(*id, indicator.line); !fresh) {
      reader.problem(node["id"], "duplicate indicator id '" + *id + "' (first defined on line " +
                                     std::to_string(it->second) + ")");
    }
    indicator.id = *id;
  }
  if (node["list"]) {
    if (auto list = reader.name(node["list"], kLists, "list")) {
      indicator.list = *list;
      if (!declared.contains(*list)) {
        reader.problem(node["list"], where + ": list '" + std::string(list_name(*list)) +
                                         "' is not declared under 'lists'");
      }
    }
  } else {
    reader.problem(node, where + ": missing 'list'");
  }
  if (node["dimension"]) indicator.dimension = reader.name(node["dimension"], kDimensions, "dimension").value_or(0);
  if (indicator.list != v1::INDICATOR_LIST_UNSPECIFIED) {
    if (is_ilo_list(indicator.list) && !node["dimension"]) {
      reader.problem(node, where + ": indicators of an ILO list need a 'dimension'");
    }
    if (!is_ilo_list(indicator.list) && node["dimension"]) {
      reader.problem(node["dimension"], where + ": only ILO lists have dimensions");
    }
  }
  if (node["category"]) {
    indicator.category = reader.name(node["category"], kCategories, "category").value_or(v1::INDICATOR_CATEGORY_UNSPECIFIED);
  }
  if (node["strength"]) {
    indicator.strength = reader.name(node["strength"], kStrengths, "strength").value_or(v1::STRENGTH_UNSPECIFIED);
    if (indicator.strength == v1::STRENGTH_WEAK && is_child_list(indicator.list)) {
      reader.problem(node["strength"], where + ": child lists have no weak tier");
    }
  } else {
    reader.problem(node, where + ": missing 'strength'");
  }
  indicator.text = reader.text(node, "text", where, true);
  indicator.question = reader.text(node, "question", where, false);
  for (const YAML::Node& sector : reader.sequence(node, "sectors", where, true)) {
    if (auto value = reader.name(sector, kSectors, "sector")) indicator.sectors.push_back(*value);
  }
  if (node["sectors"] && node["sectors"].IsSequence() && node["sectors"].size() == 0) {
    reader.problem(node["sectors"], where + ": 'sectors' must name at least one sector");
  }
  for (const YAML::Node& flag : reader.sequence(node, "sets_flags", where, false)) {
    indicator.sets_flags |= reader.name(flag, kIndicatorFlags, "flag").value_or(0);
  }
  indicator.source = reader.scalar(node, "source", where).value_or("");
  catalogue.indicators.push_back(std::move(indicator));
}

void parse_views(Reader& reader, const YAML::Node& root, Catalogue& catalogue) {
  std::map<std::string_view, std::uint32_t> index;
  for (std::uint32_t i = 0; i < catalogue.indicators.size(); ++i) index.emplace(catalogue.indicators[i].id, i);
  for (const YAML::Node& node : reader.sequence(root, "sector_views", "catalogue", false)) {
    reader.only_keys(node, {"sector", "intro", "ask_order"}, "sector view");
    SectorView view;
    if (!node["sector"]) {
      reader.problem(node, "sector view: missing 'sector'");
      continue;
    }
    auto sector = reader.name(node["sector"], kSectors, "sector");
    if (!sector) continue;
    view.sector = *sector;
    std::string where = "sector view '" + node["sector"].Scalar() + "'";
    if (catalogue.view_for(view.sector) != nullptr) reader.problem(node, where + ": duplicate view for this sector");
    view.intro = reader.text(node, "intro", where, false);
    auto order = reader.sequence(node, "ask_order", where, true);
    if (node["ask_order"] && order.empty()) reader.problem(node["ask_order"], where + ": 'ask_order' is empty");
    std::set<std::uint32_t> listed;
    for (const YAML::Node& item : order) {
      std::string id = item.IsScalar() ? item.Scalar() : std::string("?");
      auto found = index.find(id);
      if (found == index.end()) {
        reader.problem(item, where + ": '" + id + "' is not an indicator of this catalogue (dangling reference)");
        continue;
      }
      if (!catalogue.indicators[found->second].observable_by(view.sector)) {
        reader.problem(item, where + ": indicator '" + id + "' does not list this sector in its 'sectors'");
        continue;
      }
      if (!listed.insert(found->second).second) {
        reader.problem(item, where + ": '" + id + "' is listed twice");
        continue;
      }
      view.ask_order.push_back(found->second);
    }
    catalogue.views.push_back(std::move(view));
  }
}

}  // namespace

CatalogueError::CatalogueError(std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string joined;
        for (const auto& problem : problems) joined += (joined.empty() ? "" : "\n") + problem;
        return joined;
      }()),
      problems_(std::move(problems)) {}

Catalogue parse_catalogue(std::string_view yaml, const std::string& source_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw CatalogueError({source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg});
  }
  Reader reader(source_name);
  Catalogue catalogue;
  catalogue.file = source_name;
  if (!root.IsMap()) throw CatalogueError({source_name + ":1: a catalogue file is a map (see docs/screening-catalogues.md)"});
  reader.only_keys(root, {"catalogue", "rules", "lists", "indicators", "sector_views"}, "file");

  YAML::Node head = root["catalogue"];
  if (!head || !head.IsMap()) {
    reader.problem(root, "missing 'catalogue' section (id, version, jurisdiction, source, title)");
  } else {
    reader.only_keys(head, {"id", "version", "jurisdiction", "source", "title"}, "catalogue");
    catalogue.id = reader.scalar(head, "id", "catalogue").value_or("");
    if (!catalogue.id.empty() && !is_identifier(catalogue.id, false)) {
      reader.problem(head["id"], "catalogue: id must match [a-z0-9][a-z0-9-]+");
    }
    catalogue.version = reader.scalar(head, "version", "catalogue").value_or("");
    if (head["jurisdiction"]) {
      catalogue.jurisdiction =
          reader.name(head["jurisdiction"], kJurisdictions, "jurisdiction").value_or(common::v1::JURISDICTION_UNSPECIFIED);
    } else {
      reader.problem(head, "catalogue: missing 'jurisdiction' (regional or a jurisdiction code)");
    }
    catalogue.source = reader.scalar(head, "source", "catalogue").value_or("");
    catalogue.title = reader.text(head, "title", "catalogue", true);
  }

  std::set<v1::IndicatorList> declared;
  for (const YAML::Node& node : reader.sequence(root, "lists", "file", true)) {
    reader.only_keys(node, {"list", "title"}, "list");
    if (!node["list"]) {
      reader.problem(node, "lists: missing 'list'");
      continue;
    }
    auto list = reader.name(node["list"], kLists, "list");
    if (!list) continue;
    if (!declared.insert(*list).second) reader.problem(node, "lists: '" + node["list"].Scalar() + "' declared twice");
    catalogue.lists.push_back({*list, reader.text(node, "title", "list " + node["list"].Scalar(), true)});
  }

  std::map<std::string, int> seen;
  auto indicators = reader.sequence(root, "indicators", "file", true);
  if (root["indicators"] && indicators.empty()) reader.problem(root["indicators"], "indicators: the list is empty");
  for (const YAML::Node& node : indicators) parse_indicator(reader, node, declared, catalogue, seen);

  bool dimensioned = std::any_of(catalogue.indicators.begin(), catalogue.indicators.end(),
                                 [](const Indicator& indicator) { return indicator.dimension != 0; });
  if (root["rules"]) {
    catalogue.has_rules = true;
    catalogue.rules = parse_rules(reader, root["rules"]);
  } else if (dimensioned) {
    reader.problem(root, "indicators have dimensions but the file has no 'rules' section");
  }
  parse_views(reader, root, catalogue);

  if (!reader.problems().empty()) throw CatalogueError(std::move(reader.problems()));
  return catalogue;
}

Catalogue load_catalogue_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw CatalogueError({path.string() + ":1: cannot read the file"});
  std::stringstream content;
  content << in.rdbuf();
  return parse_catalogue(content.str(), path.string());
}

std::vector<Catalogue> load_catalogue_dirs(const std::vector<std::filesystem::path>& directories) {
  std::vector<Catalogue> catalogues;
  std::vector<std::string> problems;
  for (const auto& directory : directories) {
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      problems.push_back(directory.string() + ":1: not a directory of catalogue files");
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {
        catalogues.push_back(load_catalogue_file(file));
      } catch (const CatalogueError& e) {
        problems.insert(problems.end(), e.problems().begin(), e.problems().end());
      }
    }
  }
  if (!problems.empty()) throw CatalogueError(std::move(problems));
  return catalogues;
}

}  // namespace pact::screening
