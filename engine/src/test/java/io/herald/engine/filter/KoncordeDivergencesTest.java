package io.herald.engine.filter;

import org.junit.jupiter.api.Test;

import static io.herald.engine.filter.FilterEngineTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Where koncorde 4.7 is plainly wrong (it throws, refuses a valid filter, or answers inconsistently), Herald gives
 * the right answer. One test per divergence listed in engine/FILTERS.md; each states what koncorde 4.7.0 does.
 */
class KoncordeDivergencesTest
{
    private final FilterEngine engine = new FilterEngine();
    private final Matches matches = new Matches();

    private boolean matches(final String filter, final String document)
    {
        final FilterEngine fresh = new FilterEngine();
        final String id = fresh.register("i/c", json(filter));
        fresh.match("i/c", json(document), matches);
        final boolean matched = matches.size() == 1 && matches.filterId(0).equals(id);
        assertEquals(matched ? 1 : 0, matches.size());
        // the indexed answer is the direct evaluation's answer
        assertEquals(matched, new FilterParser(new Normalizer(0, 4096), new ConditionFactory()).parse(json(filter))
            .evaluate(json(document)));
        return matched;
    }

    /** koncorde: {@code unknown keyword "geospatial"} for geo filters inside nested and/or. */
    @Test
    void geoFiltersInsideNestedAndOr()
    {
        final String filter = "{'and':[{'or':[{'equals':{'a':1}},{'and':[{'equals':{'b':1}}," +
            "{'geoDistance':{'p':[0,0],'distance':'1km'}}]}]},{'exists':'p'}]}";
        assertEquals(true, matches(filter, "{'b':1,'p':[0,0.001]}"));
        assertEquals(false, matches(filter, "{'b':1,'p':[0,1]}"));
    }

    /** koncorde: throws "subfilters is not iterable" when a document matches shapes on two fields. */
    @Test
    void documentInsideShapesOnTwoFields()
    {
        assertEquals(true, matches("{'and':[{'geoDistance':{'p':[0,0],'distance':'1km'}}," +
            "{'geoDistance':{'q':[0,0],'distance':'1km'}}]}", "{'p':[0,0],'q':[0,0]}"));
    }

    /** koncorde: a value that is not a geopoint in one geo field stops every other geo field from being tested. */
    @Test
    void badGeopointInOneFieldDoesNotHideAnother()
    {
        assertEquals(true, matches("{'or':[{'geoDistance':{'p':[0,0],'distance':'1km'}}," +
            "{'geoDistance':{'q':[0,0],'distance':'1km'}}]}", "{'p':'abc','q':[0,0]}"));
    }

    /** koncorde: "not geo" matches a missing field but not a field holding something that is not a geopoint. */
    @Test
    void notGeoMatchesAFieldThatIsNotAGeopoint()
    {
        final String filter = "{'not':{'geoDistance':{'p':[0,0],'distance':'1km'}}}";
        assertEquals(true, matches(filter, "{'x':1}"));
        assertEquals(true, matches(filter, "{'p':'abc'}"));
        assertEquals(false, matches(filter, "{'p':[0,0]}"));
    }

    /** koncorde: a distance without unit throws, although its documentation says meters. */
    @Test
    void distanceWithoutUnitIsInMeters()
    {
        assertEquals(true, matches("{'geoDistance':{'p':[0,0],'distance':'1000'}}", "{'p':[0,0.008]}"));
        assertEquals(false, matches("{'geoDistance':{'p':[0,0],'distance':'1000'}}", "{'p':[0,0.01]}"));
    }

    /** koncorde: register throws "this.storeOperand[cond.keyword] is not a function" for a negated select. */
    @Test
    void negatedSelect()
    {
        final String filter = "{'not':{'select':{'field':'arr','index':0,'query':{'equals':{'value':1}}}}}";
        assertEquals(true, matches(filter, "{'arr':[2]}"));
        assertEquals(true, matches(filter, "{'other':1}"));
        assertEquals(false, matches(filter, "{'arr':[1]}"));
    }

    /** koncorde: register throws for a negated "nothing"; its negation matches everything. */
    @Test
    void negatedNothing()
    {
        assertEquals(true, matches("{'not':{'nothing':true}}", "{'a':1}"));
        assertEquals(false, matches("{'nothing':true}", "{'a':1}"));
    }

    /** koncorde: strict bounds are shifted by 1e-10, so gt 5 misses 5.00000000001. */
    @Test
    void strictRangeBoundsAreExact()
    {
        assertEquals(true, matches("{'range':{'a':{'gt':5}}}", "{'a':5.00000000001}"));
        assertEquals(false, matches("{'range':{'a':{'gt':5}}}", "{'a':5}"));
        assertEquals(true, matches("{'range':{'a':{'lt':5}}}", "{'a':4.99999999999}"));
    }

    /** koncorde: refuses a box whose left edge is east of its right edge; Herald reads it as crossing 180°. */
    @Test
    void boundingBoxAcrossTheAntimeridian()
    {
        final String filter = "{'geoBoundingBox':{'p':{'top':10,'left':170,'bottom':0,'right':-170}}}";
        assertEquals(true, matches(filter, "{'p':[5,175]}"));
        assertEquals(true, matches(filter, "{'p':[5,-175]}"));
        assertEquals(false, matches(filter, "{'p':[5,0]}"));
    }

    /** koncorde: a regexp with the g flag keeps state between documents, so the same document matches every other time. */
    @Test
    void globalFlagDoesNotMakeRegexpsStateful()
    {
        final String id = engine.register("i/c", json("{'regexp':{'s':{'value':'a','flags':'g'}}}"));
        for (int i = 0; i < 4; i++)
        {
            engine.match("i/c", json("{'s':'a'}"), matches);
            assertEquals(1, matches.size());
            assertEquals(id, matches.filterId(0));
        }
    }

    /** koncorde: a null geoBoundingBox crashes with a TypeError instead of explaining. */
    @Test
    void nullBoundingBoxIsExplained()
    {
        final FilterException error = assertThrows(FilterException.class,
            () -> engine.validate(json("{'geoBoundingBox':{'p':null}}")));
        assertEquals("\"geoBoundingBox.p\": unrecognized geo-point format", error.getMessage());
    }

    /** koncorde: {@code in} refuses numbers, booleans and null, although its documentation says scalars. */
    @Test
    void inTakesEveryScalar()
    {
        assertEquals(true, matches("{'in':{'a':[1,'x',true,null]}}", "{'a':1.0}"));
        assertEquals(true, matches("{'in':{'a':[1,'x',true,null]}}", "{'a':null}"));
        assertEquals(false, matches("{'in':{'a':[1,'x',true,null]}}", "{'a':'1'}"));
        assertThrows(FilterException.class, () -> engine.validate(json("{'in':{'a':[[1]]}}")));
    }

    /** koncorde: {@code not regexp} tests String(value) of non-strings, so {@code 123} is neither /1/ nor not /1/. */
    @Test
    void notRegexpIsTheComplementOfRegexp()
    {
        assertEquals(false, matches("{'regexp':{'a':'1'}}", "{'a':123}"));
        assertEquals(true, matches("{'not':{'regexp':{'a':'1'}}}", "{'a':123}"));
    }

    /** koncorde: its impossible-term check keys values by their string, so not equals 1 kills equals "1". */
    @Test
    void equalsOfAStringIsPossibleBesideNotEqualsOfANumber()
    {
        assertEquals(true, matches("{'and':[{'equals':{'a':'1'}},{'not':{'equals':{'a':1}}}]}", "{'a':'1'}"));
    }

    /** koncorde: match compares arrays first fit, so [{a:1},{a:1,b:1}] is not found in [{a:1,b:1},{a:1}]. */
    @Test
    void matchFindsAnyAssignmentOfArrayElements()
    {
        assertEquals(true, matches("{'match':{'l':[{'a':1},{'a':1,'b':1}]}}", "{'l':[{'a':1,'b':1},{'a':1}]}"));
        assertEquals(false, matches("{'match':{'l':[{'a':1},{'a':1}]}}", "{'l':[{'a':1,'b':1}]}"));
    }

    /** koncorde: a circle centred beyond a pole aborts the whole node process in the geo add-on. */
    @Test
    void circleCentreMustBeOnTheGlobe()
    {
        final FilterException error = assertThrows(FilterException.class,
            () -> engine.validate(json("{'geoDistance':{'p':[95,0],'distance':'1km'}}")));
        assertEquals("\"geoDistance.p\": the latitude of the centre must be between -90 and 90", error.getMessage());
    }

    /** koncorde: any regexp flags are accepted and unknown ones silently ignored ("x", "q", "ii"). */
    @Test
    void unknownRegexpFlagsAreRefused()
    {
        final FilterException error = assertThrows(FilterException.class,
            () -> engine.validate(json("{'regexp':{'s':{'value':'a','flags':'x'}}}")));
        assertEquals("\"regexp.s\": cannot parse regexp expression \"/a/x\" (Invalid flags supplied to RegExp " +
            "constructor 'x')", error.getMessage());
        assertThrows(FilterException.class, () -> engine.validate(json("{'regexp':{'s':{'value':'a','flags':'ii'}}}")));
        assertEquals(true, matches("{'regexp':{'s':{'value':'A','flags':'gimsuyd'}}}", "{'s':'a'}"));
    }

    /**
     * koncorde 4.7: a negated array-form exists ({@code not exists tags["gamma"]}, {@code missing tags["gamma"]} or a
     * bool must_not) in an AND group with any positive condition on the same field (exists, another array value,
     * equals, range) makes the normalizer drop the group as impossible: its conflict check keys exists conditions by
     * path only, so {@code not exists tags["gamma"]} "conflicts" with {@code exists tags["alpha"]}. Koncorde answers
     * false for documents that satisfy every part; Herald answers true.
     */
    @Test
    void aNegatedArrayExistsBesideAnotherConditionOnTheSameFieldStillMatches()
    {
        final String document = "{'tags':['alpha'],'flag':true}";
        assertEquals(true, matches("{'and':[{'missing':'nested.a'},{'not':{'exists':'tags[\\\"gamma\\\"]'}}," +
            "{'or':[{'missing':'flag'},{'exists':'tags[\\\"alpha\\\"]'}]}]}", document), "the issue's filter");
        assertEquals(true, matches("{'bool':{'must':[{'missing':'nested.a'}],'must_not':[{'exists':'tags[\\\"gamma\\\"]'}]," +
            "'should':[{'missing':'flag'},{'exists':'tags[\\\"alpha\\\"]'}]}}", document), "the same as bool");
        assertEquals(true, matches("{'and':[{'not':{'exists':'tags[\\\"gamma\\\"]'}},{'exists':'tags[\\\"alpha\\\"]'}]}",
            "{'tags':['alpha']}"), "the smallest form");
        assertEquals(true, matches("{'and':[{'not':{'exists':'tags[\\\"gamma\\\"]'}},{'exists':'tags'}]}",
            "{'tags':[]}"));
        assertEquals(true, matches("{'and':[{'not':{'exists':'tags[\\\"gamma\\\"]'}},{'equals':{'tags':'alpha'}}]}",
            "{'tags':'alpha'}"));
        assertEquals(true, matches("{'and':[{'not':{'exists':'tags[\\\"gamma\\\"]'}},{'range':{'tags':{'gte':0}}}]}",
            "{'tags':5}"));
        // a real contradiction stays one
        assertEquals(false, matches("{'and':[{'not':{'exists':'tags'}},{'exists':'tags[\\\"alpha\\\"]'}]}",
            "{'tags':['alpha']}"));
    }
}
