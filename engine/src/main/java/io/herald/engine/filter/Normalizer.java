package io.herald.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a parsed filter into its {@link Dnf}: negations pushed to the leaves, ANDs distributed over ORs,
 * contradictory conjunctions removed (a condition and its negation; two values for one field; a value outside a
 * range; a test on a field required to be missing...), redundant literals and absorbed conjunctions dropped.
 */
final class Normalizer
{
    private static final int ABSORB_LIMIT = 512;

    private final int maxConditions;
    private final int maxConjunctions;

    /**
     * @param maxConditions   most leaf conditions a filter may hold (as Koncorde counts them), 0 for no limit.
     * @param maxConjunctions most conjunctions its normal form may have.
     */
    Normalizer(final int maxConditions, final int maxConjunctions)
    {
        this.maxConditions = maxConditions;
        this.maxConjunctions = maxConjunctions;
    }

    Dnf normalize(final FilterNode filter)
    {
        final int count = countConditions(filter);
        if (maxConditions > 0 && count > maxConditions)
        {
            throw new FilterException("Filter too complex: exceeds the configured maximum number of conditions " +
                "(conditions: " + count + ", max: " + maxConditions + ")");
        }
        final List<TreeMap<String, Literal>> terms = absorb(dnf(filter, false));
        final List<Map.Entry<String, List<Literal>>> sorted = new ArrayList<>(terms.size());
        for (final TreeMap<String, Literal> term : terms)
        {
            final List<Literal> literals = new ArrayList<>(term.values());
            literals.sort((a, b) -> a.key().compareTo(b.key()));
            sorted.add(Map.entry(text(literals), literals));
        }
        sorted.sort(Map.Entry.comparingByKey());
        final List<List<Literal>> conjunctions = new ArrayList<>(sorted.size());
        final List<String> texts = new ArrayList<>(sorted.size());
        for (final Map.Entry<String, List<Literal>> entry : sorted)
        {
            texts.add(entry.getKey());
            conjunctions.add(entry.getValue());
        }
        final String canonical = conjunctions.isEmpty() ? "nothing" :
            conjunctions.size() == 1 && conjunctions.get(0).isEmpty() ? "everything" : String.join(" | ", texts);
        return new Dnf(Collections.unmodifiableList(conjunctions), Collections.unmodifiableList(texts), canonical);
    }

    static String text(final List<Literal> conjunction)
    {
        final StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < conjunction.size(); i++)
        {
            out.append(i > 0 ? " & " : "").append(conjunction.get(i).key());
        }
        return out.append(')').toString();
    }

    private static int countConditions(final FilterNode node)
    {
        if (node instanceof FilterNode.Leaf)
        {
            return 1;
        }
        if (node instanceof FilterNode.Not not)
        {
            return countConditions(not.operand());
        }
        final List<FilterNode> operands = node instanceof FilterNode.And and ? and.operands() :
            node instanceof FilterNode.Or or ? or.operands() : List.of();
        int count = 0;
        for (final FilterNode operand : operands)
        {
            count += countConditions(operand);
        }
        return count;
    }

    private List<TreeMap<String, Literal>> dnf(final FilterNode node, final boolean negate)
    {
        if (node instanceof FilterNode.Leaf leaf)
        {
            final TreeMap<String, Literal> term = new TreeMap<>();
            term.put(leaf.condition().key, new Literal(leaf.condition(), negate));
            return listOf(term);
        }
        if (node instanceof FilterNode.Not not)
        {
            return dnf(not.operand(), !negate);
        }
        if (node instanceof FilterNode.Everything || node instanceof FilterNode.Nothing)
        {
            final boolean all = node instanceof FilterNode.Everything != negate;
            return all ? listOf(new TreeMap<>()) : new ArrayList<>();
        }
        final boolean isAnd = node instanceof FilterNode.And;
        final List<FilterNode> operands = isAnd ? ((FilterNode.And)node).operands() : ((FilterNode.Or)node).operands();
        if (isAnd != negate)
        {
            List<TreeMap<String, Literal>> product = listOf(new TreeMap<>());
            for (final FilterNode operand : operands)
            {
                product = product(product, dnf(operand, negate));
                if (product.isEmpty())
                {
                    break;
                }
            }
            return product;
        }
        final List<TreeMap<String, Literal>> union = new ArrayList<>();
        for (final FilterNode operand : operands)
        {
            union.addAll(dnf(operand, negate));
            checkSize(union.size());
        }
        return union;
    }

    private List<TreeMap<String, Literal>> product(
        final List<TreeMap<String, Literal>> left, final List<TreeMap<String, Literal>> right)
    {
        final List<TreeMap<String, Literal>> result = new ArrayList<>();
        for (final TreeMap<String, Literal> a : left)
        {
            for (final TreeMap<String, Literal> b : right)
            {
                final TreeMap<String, Literal> merged = merge(a, b);
                if (null != merged)
                {
                    result.add(merged);
                    checkSize(result.size());
                }
            }
        }
        return absorb(result);
    }

    private void checkSize(final int size)
    {
        if (size > maxConjunctions)
        {
            throw new FilterException("Filter too complex: its normalized form exceeds the configured maximum of " +
                maxConjunctions + " alternatives (AND terms of the OR)");
        }
    }

    private static TreeMap<String, Literal> merge(final TreeMap<String, Literal> a, final TreeMap<String, Literal> b)
    {
        final TreeMap<String, Literal> merged = new TreeMap<>(a);
        for (final Literal literal : b.values())
        {
            final Literal existing = merged.putIfAbsent(literal.condition().key, literal);
            if (null != existing && existing.negated() != literal.negated())
            {
                return null;
            }
        }
        return simplify(merged);
    }

    /**
     * Field-level reasoning inside one conjunction; null when it can never hold.
     */
    private static TreeMap<String, Literal> simplify(final TreeMap<String, Literal> term)
    {
        for (final Literal literal : new ArrayList<>(term.values()))
        {
            final Condition condition = literal.condition();
            if (literal.negated() || null == condition.field || !term.containsKey(condition.key))
            {
                continue;
            }
            if (condition.kind == Condition.Kind.EQUALS)
            {
                // The field's value is known: every other test on that field is decided.
                final JsonNode document = documentWith(condition.field, ((EqualsCondition)condition).value);
                for (final Literal other : new ArrayList<>(term.values()))
                {
                    if (other != literal && condition.field.equals(other.condition().field))
                    {
                        if (other.condition().test(document) == other.negated())
                        {
                            return null;
                        }
                        term.remove(other.condition().key);
                    }
                }
            }
            else if (condition.kind == Condition.Kind.RANGE && disjointRange(term, (RangeCondition)condition))
            {
                return null;
            }
        }
        return dropImpliedExists(term);
    }

    private static boolean disjointRange(final TreeMap<String, Literal> term, final RangeCondition range)
    {
        for (final Literal other : term.values())
        {
            if (!other.negated() && other.condition() != range && other.condition() instanceof RangeCondition r &&
                r.field.equals(range.field))
            {
                final boolean overlap = (r.low < range.high || (r.low == range.high && r.lowInclusive &&
                    range.highInclusive)) && (range.low < r.high || (range.low == r.high && range.lowInclusive &&
                    r.highInclusive));
                if (!overlap)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code exists(f)} is implied by any other positive test on f; {@code not exists(f)} contradicts one.
     */
    private static TreeMap<String, Literal> dropImpliedExists(final TreeMap<String, Literal> term)
    {
        for (final Literal literal : new ArrayList<>(term.values()))
        {
            if (literal.condition().kind != Condition.Kind.EXISTS)
            {
                continue;
            }
            for (final Literal other : term.values())
            {
                if (!other.negated() && other.condition() != literal.condition() &&
                    literal.condition().field.equals(other.condition().field))
                {
                    if (literal.negated())
                    {
                        return null;
                    }
                    term.remove(literal.condition().key);
                    break;
                }
            }
        }
        return term;
    }

    private static JsonNode documentWith(final FieldPath field, final JsonNode value)
    {
        final ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.set(field.path(), value);
        return document;
    }

    /**
     * Removes duplicates and conjunctions that contain another one (A | A & B is A). Quadratic: above
     * {@link #ABSORB_LIMIT} terms only duplicates are removed.
     */
    private static List<TreeMap<String, Literal>> absorb(final List<TreeMap<String, Literal>> terms)
    {
        if (terms.size() > ABSORB_LIMIT)
        {
            final LinkedHashMap<String, TreeMap<String, Literal>> unique = new LinkedHashMap<>();
            for (final TreeMap<String, Literal> term : terms)
            {
                unique.putIfAbsent(text(new ArrayList<>(term.values())), term);
            }
            return new ArrayList<>(unique.values());
        }
        final List<TreeMap<String, Literal>> sorted = new ArrayList<>(terms);
        sorted.sort((a, b) -> Integer.compare(a.size(), b.size()));
        final List<TreeMap<String, Literal>> kept = new ArrayList<>();
        for (final TreeMap<String, Literal> term : sorted)
        {
            boolean absorbed = false;
            for (final TreeMap<String, Literal> smaller : kept)
            {
                if (contains(term, smaller))
                {
                    absorbed = true;
                    break;
                }
            }
            if (!absorbed)
            {
                kept.add(term);
            }
        }
        return kept;
    }

    private static boolean contains(final TreeMap<String, Literal> term, final TreeMap<String, Literal> subset)
    {
        for (final Literal literal : subset.values())
        {
            final Literal same = term.get(literal.condition().key);
            if (null == same || same.negated() != literal.negated())
            {
                return false;
            }
        }
        return true;
    }

    private static List<TreeMap<String, Literal>> listOf(final TreeMap<String, Literal> term)
    {
        final List<TreeMap<String, Literal>> list = new ArrayList<>();
        list.add(term);
        return list;
    }
}
