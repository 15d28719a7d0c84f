// A consumer process for crash tests: applies each record of pact.case.v1 as RPUSH <hub>:applied
// <value> through the platform Consumer, until SIGTERM. A test kills it with SIGKILL mid-stream and
// counts what Redis holds afterwards.
#include <iostream>
#include <thread>

#include "config/platform_config.h"
#include "kafka/consumer.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "log/logger.h"
#include "service/termination_signal.h"
#include "support/append_handler.h"


int main(int argc, char** argv) {
  pact::service::block_termination_signals();
  if (argc != 5) {
    std::cerr << "usage: pact-test-consumer BOOTSTRAP REDIS_HOST REDIS_PORT HUB\n";
    return 2;
  }
  pact::config::PlatformConfig platform;
  platform.service_name = "test-consumer";
  platform.kafka.bootstrap_servers = argv[1];
  platform.redis.host = argv[2];
  platform.redis.port = std::stoi(argv[3]);
  platform.hub = pact::config::Hub(argv[4]);
  pact::log::init({"test-consumer", platform.hub.prefix(), pact::log::Level::info});

  pact::redis::RedisClient redis(platform.redis);
  pact::kafka::Producer producer(platform.kafka, "test-consumer");
  pact::testing::AppendHandler handler(platform.hub.redis_key({"applied"}));
  pact::kafka::Consumer consumer(platform, {.group = "crash-test", .topics = {std::string(pact::kafka::topic::kCase)}},
                                 redis, producer, handler);
  std::thread stopper([&] {
    pact::service::wait_for_termination_signal();
    consumer.stop();
  });
  consumer.run();
  stopper.join();
  return 0;
}
