package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link Document}'s value as a Jackson tree, for the conditions no index serves (match, select). Allocates.
 */
final class DocumentTree
{
    private DocumentTree()
    {
    }

    static JsonNode of(final Document document, final int value)
    {
        final JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (document.type(value))
        {
            case Document.OBJECT:
                final ObjectNode object = nodes.objectNode();
                for (int child = document.first(value); child != Document.NONE; child = document.next(value, child))
                {
                    object.set(document.name(child), of(document, child));
                }
                return object;
            case Document.ARRAY:
                final ArrayNode array = nodes.arrayNode();
                for (int child = document.first(value); child != Document.NONE; child = document.next(value, child))
                {
                    array.add(of(document, child));
                }
                return array;
            case Document.STRING:
                return nodes.textNode(document.string(value));
            case Document.NUMBER:
                final double number = document.number(value);
                return number == Math.rint(number) && Math.abs(number) < 1e15 ?
                    nodes.numberNode((long)number) : nodes.numberNode(number);
            case Document.TRUE:
                return nodes.booleanNode(true);
            case Document.FALSE:
                return nodes.booleanNode(false);
            default:
                return nodes.nullNode();
        }
    }
}
