#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crypto/keyed_hash.h"
#include "crypto/sealed_message.h"
#include "intake_fixture.h"
#include "pact/events/v1/audit_events.pb.h"
#include "redis/redis_client.h"
#include "security/base64url.h"

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

// Waits until no AOF rewrite runs or is scheduled and the files no longer hold `gone` (the
// erasures asked for a rewrite; a running one refuses the request, so intake asks again after it).
void wait_for_append_only_rewrite(redis::RedisClient& redis, const std::vector<std::string>& gone) {
  eventually(
      [&] {
        const std::string info = redis.command({"INFO", "persistence"}).text;
        if (info.find("aof_rewrite_in_progress:0") == std::string::npos ||
            info.find("aof_rewrite_scheduled:0") == std::string::npos) {
          return false;
        }
        const std::string files = append_only_files(redis);
        return std::none_of(gone.begin(), gone.end(), [&](const auto& value) { return files.find(value) != std::string::npos; });
      },
      std::chrono::seconds(20));
}

// Everything the case key could be found as: the raw bytes and the ways they get written down.
std::vector<std::string> spellings_of(const std::string& raw_key) {
  return {raw_key, crypto::to_hex(raw_key), security::base64url_encode(raw_key)};
}

// After erasure, nothing that could open the case's sealed data is left anywhere: not the key (raw,
// hex, base64), not the key wrapped under the master key. The sealed sections stay in Kafka's
// retained log, and the test shows they opened with the key before the erasure: so what
// crypto-shredding removed is exactly what recovering the markers would need.
TEST(IntakeCanary, AfterErasureTheMarkersCannotBeRecoveredFromKafkaRedisTheAofOrTheLogs) {
  PACT_REQUIRE_INFRASTRUCTURE();
  config::PlatformConfig platform = Infrastructure::instance().new_hub("erasure-canary");
  IntakeProcess intake(platform);
  redis::RedisClient redis(platform.redis);
  struct Erased {
    std::string case_id;
    std::string marker;
    std::string raw_key;
    std::string wrapped_key;
  };
  std::vector<Erased> erased;
  for (std::size_t i = 0; i < kMarkers.size(); ++i) {
    v1::RegisterEncounterResponse response;
    ASSERT_TRUE(intake.stub()
                    .RegisterEncounter(context_for(frontline_worker()).get(),
                                       registration_carrying(kMarkers[i], "erasure-canary-" + std::to_string(i)),
                                       &response)
                    .ok());
    v1::AmendCaseRequest amend;
    amend.set_case_id(response.case_id());
    amend.set_idempotency_key("erasure-canary-amend");
    amend.mutable_amendment()->set_note("Later: " + kMarkers[i] + " was seen with the minder");
    v1::AmendCaseResponse amended;
    ASSERT_TRUE(intake.stub().AmendCase(context_for(frontline_worker()).get(), amend, &amended).ok());
    v1::ReleaseCaseKeyRequest key_request;
    key_request.set_case_id(response.case_id());
    key_request.set_purpose(common::v1::ACCESS_PURPOSE_SCREENING);
    v1::ReleaseCaseKeyResponse released;
    ASSERT_TRUE(intake.stub().ReleaseCaseKey(context_for(screening_service()).get(), key_request, &released).ok());
    ASSERT_EQ(released.keys_size(), 1);
    const std::string wrapped =
        redis.command({"GET", platform.hub.redis_key({"intake", "key", response.case_id()})}).text;
    ASSERT_FALSE(wrapped.empty());
    erased.push_back({response.case_id(), kMarkers[i], released.keys(0).key(), wrapped});
  }

  // Control: with the key, the retained events give the markers back.
  auto events = case_events(platform, 2 * kMarkers.size());
  std::size_t opened = 0;
  for (const auto& e : events) {
    for (const auto& c : erased) {
      if (e.event.case_id() != c.case_id || !e.event.has_case_registered()) continue;
      v1::Case person_data;
      ASSERT_TRUE(crypto::open_message(crypto::SecretKey::from_bytes(c.raw_key), c.case_id,
                                       e.event.case_registered().snapshot().sealed(0), person_data));
      EXPECT_EQ(person_data.encounter().person().given_name(), c.marker);
      ++opened;
    }
  }
  ASSERT_GE(opened, erased.size());

  for (const auto& c : erased) {
    v1::EraseCaseRequest erase;
    erase.set_case_id(c.case_id);
    erase.set_reason(common::v1::ERASURE_REASON_DATA_SUBJECT_REQUEST);
    erase.set_idempotency_key("erasure-canary");
    v1::EraseCaseResponse response;
    ASSERT_TRUE(intake.stub().EraseCase(context_for(frontline_worker()).get(), erase, &response).ok());
  }
  std::vector<std::string> wrapped_keys;
  for (const auto& c : erased) wrapped_keys.push_back(c.wrapped_key);
  wait_for_append_only_rewrite(redis, wrapped_keys);  // the assertions below say what is left, if anything

  std::string records;
  for (const auto& e : case_events(platform, 3 * kMarkers.size())) {
    records += e.record.key + "\n" + e.record.value + "\n";
    for (const auto& [name, value] : e.record.headers) records += name + "=" + value + "\n";
  }
  for (const auto& e : pact::testing::decoded_topic<events::v1::AuditRecord>(platform, kafka::topic::kAudit,
                                                                             4 * kMarkers.size(), std::chrono::seconds(15))) {
    records += e.record.value + "\n";
  }
  const std::vector<std::pair<std::string, std::string>> places = {
      {"Kafka records (case events and audit records)", records},
      {"Redis values", all_redis_values(redis, platform.hub.prefix() + ":")},
      {"Redis append-only file, rewritten", append_only_files(redis)},
      {"intake's log lines, unescaped", unescaped_log(intake.log())},
  };
  for (const auto& c : erased) {
    for (const auto& [where, content] : places) {
      EXPECT_EQ(content.find(c.marker), std::string::npos) << "marker " << c.marker << " in clear in " << where;
      EXPECT_EQ(content.find(c.wrapped_key), std::string::npos) << "the wrapped case key is still in " << where;
      for (const auto& spelling : spellings_of(c.raw_key)) {
        EXPECT_EQ(content.find(spelling), std::string::npos) << "the case key is still in " << where;
      }
    }
    // And intake no longer has it to give.
    v1::ReleaseCaseKeyRequest key_request;
    key_request.set_case_id(c.case_id);
    key_request.set_purpose(common::v1::ACCESS_PURPOSE_SCREENING);
    v1::ReleaseCaseKeyResponse no_key;
    EXPECT_EQ(intake.stub().ReleaseCaseKey(context_for(screening_service()).get(), key_request, &no_key).error_code(),
              grpc::StatusCode::NOT_FOUND);
    v1::GetCaseRequest get;
    get.set_case_id(c.case_id);
    get.set_purpose(common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT);
    v1::GetCaseResponse read;
    ASSERT_TRUE(intake.stub().GetCase(context_for(frontline_worker()).get(), get, &read).ok());
    EXPECT_FALSE(read.case_record().has_encounter());
  }
}

}  // namespace
}  // namespace pact::intake::testing
