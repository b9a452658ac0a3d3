package uk.nhs.registry.ingest;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The feed's connection to an ActiveMQ Artemis broker, when `registry.ingest.jms.broker-url` is set. */
final class ArtemisConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisConnection.class);

    private ArtemisConnection() {
    }

    /**
     * An ActiveMQ Artemis connection factory for Camel's {@code jms} component. The component then
     * defaults to local JMS transactions committed by the listener container once the route has
     * finished (lazyCreateTransactionManager=false: no Spring transaction manager, so consumers
     * and sessions stay cached); a send to the dead-letter queue or a reply through the same
     * factory joins that transaction. Endpoint URIs can still override both.
     */
    static void configure(CamelContext context, IngestSettings settings) throws Exception {
        ActiveMQConnectionFactory factory = settings.jmsUser().isBlank()
                ? new ActiveMQConnectionFactory(settings.jmsBrokerUrl())
                : new ActiveMQConnectionFactory(settings.jmsBrokerUrl(), settings.jmsUser(), settings.jmsPassword());
        context.getRegistry().bind("appointmentRegistry.jmsConnectionFactory", factory);
        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        jms.setConnectionFactory(factory);
        jms.getConfiguration().setTransacted(true);
        jms.getConfiguration().setLazyCreateTransactionManager(false);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                factory.close();
            }
        });
        LOG.info("JMS component connected to the broker at {}", IngestConfiguration.withoutQuery(settings.jmsBrokerUrl()));
    }

}
