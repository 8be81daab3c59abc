package io.herald.engine.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.herald.engine.filter.JsonRules.isObject;
import static io.herald.engine.filter.JsonRules.isString;
import static io.herald.engine.filter.JsonRules.pathAdd;

/**
 * {@code exists} and {@code missing}: {@code "field.path"}, the legacy {@code {field: "field.path"}}, and the
 * array form {@code 'field.path["value"]'} (the field is an array holding that JSON value; brackets in a field
 * name are escaped with a backslash).
 */
final class ExistsParser
{
    private static final Pattern ARRAY_FIELD = Pattern.compile("^(.*?[^\\\\])\\[(.*)]$");
    private static final Pattern ESCAPED_BRACKET = Pattern.compile("\\\\([\\[\\]])");
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ExistsParser()
    {
    }

    static FilterNode exists(
        final ConditionFactory conditions, final JsonNode filter, final String path, final String name)
    {
        final JsonNode value = filter.get(name);
        if (value.isTextual())
        {
            if (value.textValue().isEmpty())
            {
                throw new FilterException("cannot test empty field name", name, path);
            }
            return parseFieldSyntax(conditions, value.textValue(), name, path);
        }
        isObject(filter, name, name, path, 1, false, new String[] { "field" }, null);
        final String fieldPath = pathAdd(path, "field");
        isString(value, "field", name, fieldPath);
        return parseFieldSyntax(conditions, value.get("field").textValue(), name, fieldPath);
    }

    private static FilterNode parseFieldSyntax(
        final ConditionFactory conditions, final String field, final String keyword, final String path)
    {
        final Matcher array = ARRAY_FIELD.matcher(field);
        if (!array.matches())
        {
            return new FilterNode.Leaf(conditions.existsCondition(unescape(field)));
        }
        final String raw = array.group(2);
        final JsonNode value;
        try
        {
            value = JSON.readTree(raw);
        }
        catch (final JsonProcessingException ex)
        {
            throw new FilterException("contains an invalid array value (\"" + raw + "\")", keyword, path);
        }
        if (null == value || value.isMissingNode())
        {
            throw new FilterException("contains an invalid array value (\"" + raw + "\")", keyword, path);
        }
        return new FilterNode.Leaf(conditions.arrayContainsCondition(unescape(array.group(1)), value));
    }

    private static String unescape(final String field)
    {
        return ESCAPED_BRACKET.matcher(field).replaceAll("$1");
    }
}
