package org.rnnclust.nn;

import java.util.List;
import java.util.stream.Collectors;

/** Something with trainable parameters: a layer, a stack, a model. */
public interface Module extends AutoCloseable {
    /** In PyTorch's state_dict order; names are local to the module. */
    List<Parameter> parameters();

    default Parameter parameter(String name) {
        for (Parameter p : parameters()) {
            if (p.name().equals(name)) return p;
        }
        throw new IllegalArgumentException("no parameter '" + name + "'; this module has "
                + parameters().stream().map(Parameter::name).collect(Collectors.joining(", ")));
    }

    default void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    @Override
    void close();
}
