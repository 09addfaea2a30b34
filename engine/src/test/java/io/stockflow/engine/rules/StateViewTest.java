package io.stockflow.engine.rules;

import io.stockflow.engine.command.TestCommands;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateViewTest
{
    private static final Set<String> READ_ONLY_VOID_METHODS = Set.of("forEachSku", "forEachOrder", "checkInvariants");

    @Test
    void aStateViewIsNotTheStateMachineAndReachesNoMutableObject() throws Exception
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final StateView view = rules.view();
        assertSame(view, rules.view(), "one view per rules, so handing it out allocates nothing");
        assertFalse(FulfillmentRules.class.isInstance(view), "a query cannot cast its view to the rules");
        for (final Field field : view.getClass().getDeclaredFields())
        {
            assertFalse(FulfillmentRules.class.isAssignableFrom(field.getType()),
                "the view holds no reference to the rules: " + field);
        }
        for (final Method method : StateView.class.getMethods())
        {
            if (method.getReturnType() == void.class)
            {
                assertTrue(READ_ONLY_VOID_METHODS.contains(method.getName()), "unexpected void method " + method);
            }
            assertFalse(FulfillmentRules.class.isAssignableFrom(method.getReturnType()), method.toString());
        }
        for (final Method method : view.getClass().getDeclaredMethods())
        {
            if (Modifier.isPublic(method.getModifiers()))
            {
                StateView.class.getMethod(method.getName(), method.getParameterTypes());
            }
        }
    }

    @Test
    void everyStateViewMethodLeavesTheStateAsItWas()
    {
        final RulesDriver driver = new RulesDriver();
        driver.restock(1, 10);
        driver.placeLines(5, 1, 2, 300);
        final StateView view = driver.rules.view();
        final long hash = view.stateHash();
        final List<Long> seen = new ArrayList<>();
        view.forEachSku((sku, onHand, reserved) -> seen.add(sku));
        view.forEachOrder((order, account, status, deadline, changedAt, lines) -> seen.add(order));
        view.checkInvariants();
        assertEquals(List.of(1L, 5L), seen);
        assertEquals(10, view.onHand(1));
        assertEquals(2, view.reserved(1));
        assertEquals(8, view.available(1));
        assertEquals(OrderStatus.RESERVED, view.orderStatus(5));
        assertEquals(300, view.orderLines(5).price(0));
        assertEquals(hash, view.stateHash());
        assertEquals(2, view.events());
        assertEquals(2, view.lastSequence());
    }

    @Test
    void aViewSeesTheStateAsOfTheLastApply()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final StateView view = rules.view();
        assertFalse(view.hasSku(1));
        rules.apply(1, TestCommands.restock(1, 4));
        assertTrue(view.hasSku(1));
        assertEquals(4, view.onHand(1));
        assertEquals(1, view.skuCount());
    }
}
