package io.smtpwatchdog.jmx;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/**
 * An MXBean with the descriptions and parameter names a console shows (plain MXBeans have neither: their
 * parameters are p0, p1, ...). Notifications go through the emitter given.
 */
final class Described<T> extends StandardEmitterMBean {
    private final String what;
    private final String[][] parameterNames;

    Described(T impl, Class<T> type, NotificationEmitter emitter, String what, String[][] parameterNames) {
        super(impl, type, true, emitter);
        this.what = what;
        this.parameterNames = parameterNames;
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        return what;
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        String d = Descriptions.of(info.getName());
        return d != null ? d : super.getDescription(info);
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        String d = Descriptions.of(info.getName());
        return d != null ? d : super.getDescription(info);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        for (String[] names : parameterNames) {
            if (names[0].equals(op.getName()) && sequence + 1 < names.length) {
                return names[sequence + 1];
            }
        }
        return super.getParameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        String d = Descriptions.of(op.getName() + "." + getParameterName(op, param, sequence));
        return d != null ? d : super.getDescription(op, param, sequence);
    }
}
