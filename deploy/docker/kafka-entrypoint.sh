#!/bin/sh
# One Kafka 3.9 node in KRaft mode (broker + controller) for the compose stack. The storage is
# formatted on first start only; the cluster id is kept in the data volume.
#   KAFKA_ADVERTISED_HOST  name clients reach the broker by (default: kafka)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xms256m -Xmx1g)
set -eu
data="${KAFKA_DATA_DIR:-/var/lib/kafka}"
host="${KAFKA_ADVERTISED_HOST:-kafka}"
config="$data/server.properties"
cat >"$config" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://localhost:9093
advertised.listeners=PLAINTEXT://${host}:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
PROPERTIES
cat >"$data/log4j.properties" <<LOG4J
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
LOG4J
classpath="${KAFKA_LIBS_DIR:-/opt/kafka/libs}/*"
log="-Dlog4j.configuration=file:$data/log4j.properties"
if [ ! -f "$data/logs/meta.properties" ]; then
  cluster_id="$(java "$log" -cp "$classpath" kafka.tools.StorageTool random-uuid)"
  java "$log" -cp "$classpath" kafka.tools.StorageTool format -t "$cluster_id" -c "$config"
fi
exec java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} "$log" -cp "$classpath" kafka.Kafka "$config"
