#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "intake_fixture.h"
#include "redis/redis_client.h"

namespace pact::intake::testing {
namespace {

// Unique markers in the three scripts people's names arrive in. They go into every personal field
// a frontline worker can fill; none may appear anywhere outside intake's sealed data.
const std::vector<std::string> kMarkers = {"Qzmarkerlatin7731", "Кзмаркер7731", "قزمعلم٧٧٣١"};

v1::RegisterEncounterRequest registration_carrying(const std::string& marker, const std::string& key) {
  v1::RegisterEncounterRequest request = sample_registration(key);
  v1::Person& person = *request.mutable_encounter()->mutable_person();
  person.set_given_name(marker);
  person.set_family_name(marker + "family");
  person.add_other_names(marker + "alias");
  person.set_place_of_birth(marker + "town");
  auto* identifier = person.add_identifiers();
  identifier->set_type(common::v1::PERSONAL_IDENTIFIER_TYPE_PASSPORT);
  identifier->set_value("P" + std::to_string(std::hash<std::string>{}(marker) % 100000000));
  auto* contact = person.add_contacts();
  contact->set_type(v1::CONTACT_CHANNEL_TYPE_PHONE);
  contact->set_value(marker + "phone");
  request.mutable_encounter()->set_notes("Told us: " + marker + " keeps the documents.");
  request.mutable_encounter()->mutable_needs(0)->set_details(marker + " needs a quiet room");
  request.mutable_encounter()->mutable_next_destination()->set_jurisdiction(common::v1::JURISDICTION_BA);
  request.mutable_encounter()->mutable_next_destination()->set_details("cousin of " + marker);
  return request;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// Every value Redis holds under the hub's prefix, decoded by type.
std::string all_redis_values(redis::RedisClient& redis, const std::string& prefix) {
  std::string values;
  std::string cursor = "0";
  do {
    auto page = redis.command({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"});
    cursor = page.elements.at(0).text;
    for (const auto& key : page.elements.at(1).elements) {
      std::string type = redis.command({"TYPE", key.text}).text;
      redis::RedisValue value;
      if (type == "string") value = redis.command({"GET", key.text});
      if (type == "hash") value = redis.command({"HGETALL", key.text});
      if (type == "set") value = redis.command({"SMEMBERS", key.text});
      if (type == "zset") value = redis.command({"ZRANGE", key.text, "0", "-1"});
      if (type == "list") value = redis.command({"LRANGE", key.text, "0", "-1"});
      if (type == "stream") value = redis.command({"XRANGE", key.text, "-", "+"});
      std::function<void(const redis::RedisValue&)> append = [&](const redis::RedisValue& v) {
        values += key.text + "=" + v.text + "\n";
        for (const auto& element : v.elements) append(element);
      };
      append(value);
    }
  } while (cursor != "0");
  return values;
}

// Redis's append-only files, found through Redis itself (works whoever started it).
std::string append_only_files(redis::RedisClient& redis) {
  std::string dir = redis.command({"CONFIG", "GET", "dir"}).elements.at(1).text;
  std::string sub = redis.command({"CONFIG", "GET", "appenddirname"}).elements.at(1).text;
  std::string content;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / sub)) content += read_file(entry.path());
  return content;
}

// Log lines after JSON unescaping: a marker escaped as \uXXXX must not slip through.
std::string unescaped_log(const std::string& raw) {
  std::string text;
  std::istringstream lines(raw);
  std::string line;
  while (std::getline(lines, line)) {
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    text += parsed.is_discarded() ? line : parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += "\n";
    if (!parsed.is_discarded()) {
      for (const auto& [field, value] : parsed.items()) {
        if (value.is_string()) text += value.get<std::string>() + "\n";
      }
    }
  }
  return text;
}

TEST(IntakeCanary, PersonalDataMarkersNeverLeaveTheSealedData) {
  PACT_REQUIRE_INFRASTRUCTURE();
  config::PlatformConfig platform = Infrastructure::instance().new_hub("intake-canary");
  IntakeProcess intake(platform);
  std::vector<std::string> case_ids;
  for (std::size_t i = 0; i < kMarkers.size(); ++i) {
    v1::RegisterEncounterResponse response;
    grpc::Status status = intake.stub().RegisterEncounter(
        context_for(frontline_worker()).get(), registration_carrying(kMarkers[i], "canary-" + std::to_string(i)),
        &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    case_ids.push_back(response.case_id());
    v1::AmendCaseRequest amend;
    amend.set_case_id(response.case_id());
    amend.set_idempotency_key("canary-amend");
    amend.mutable_amendment()->set_note("Later: " + kMarkers[i] + " was seen with the minder");
    v1::AmendCaseResponse amended;
    ASSERT_TRUE(intake.stub().AmendCase(context_for(frontline_worker()).get(), amend, &amended).ok());
    // Reading the case back (personal data in the response) is allowed; it must not echo to logs.
    v1::GetCaseRequest get;
    get.set_case_id(response.case_id());
    get.set_purpose(common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT);
    v1::GetCaseResponse read;
    ASSERT_TRUE(intake.stub().GetCase(context_for(frontline_worker()).get(), get, &read).ok());
    ASSERT_EQ(read.case_record().encounter().person().given_name(), kMarkers[i]);
  }
  // An invalid registration carrying markers is refused without echoing them.
  v1::RegisterEncounterRequest invalid = registration_carrying(kMarkers[0], "canary-invalid");
  invalid.mutable_encounter()->mutable_person()->set_date_of_birth(kMarkers[1]);
  v1::RegisterEncounterResponse refused;
  grpc::Status refusal = intake.stub().RegisterEncounter(context_for(frontline_worker()).get(), invalid, &refused);
  ASSERT_EQ(refusal.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  redis::RedisClient redis(platform.redis);
  std::string records;
  for (const auto& e : case_events(platform, 2 * kMarkers.size())) {
    records += e.record.key + "\n" + e.record.value + "\n";
    for (const auto& [name, value] : e.record.headers) records += name + "=" + value + "\n";
  }
  ASSERT_FALSE(records.empty());
  const std::vector<std::pair<std::string, std::string>> places = {
      {"Kafka records (decompressed values and headers)", records},
      {"Redis values", all_redis_values(redis, platform.hub.prefix() + ":")},
      {"Redis append-only file", append_only_files(redis)},
      {"intake's log lines, unescaped", unescaped_log(intake.log())},
      {"the refusal of an invalid registration", refusal.error_message() + refusal.error_details()},
  };
  for (const auto& [where, content] : places) {
    for (const auto& marker : kMarkers) {
      EXPECT_EQ(content.find(marker), std::string::npos) << "marker " << marker << " found in " << where;
    }
  }
}

}  // namespace
}  // namespace pact::intake::testing
