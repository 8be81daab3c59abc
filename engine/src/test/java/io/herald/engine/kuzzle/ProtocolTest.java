package io.herald.engine.kuzzle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(final String text)
    {
        try
        {
            return JSON.readTree(text.replace('\'', '"'));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(text, ex);
        }
    }

    private static JsonNode parse(final byte[] frame) throws IOException
    {
        return JSON.readTree(new String(frame, StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFieldsTheSdkSendsAndIgnoresTheRest()
    {
        final KuzzleRequest request = KuzzleRequest.of(json("{'controller':'realtime','action':'subscribe'," +
            "'requestId':'r1','index':'i','collection':'c','body':{'equals':{'a':1}},'volatile':{'sdkInstanceId':'s'}," +
            "'scope':'in','users':'all','subscribeToSelf':false,'cookieAuth':true}"));
        assertEquals("r1", request.requestId());
        assertEquals("realtime", request.controller());
        assertEquals("subscribe", request.action());
        assertEquals("i", request.index());
        assertEquals("c", request.collection());
        assertEquals("in", request.scope());
        assertEquals("all", request.users());
        assertEquals(json("{'equals':{'a':1}}"), request.objectBody());
        assertEquals(json("{'sdkInstanceId':'s'}"), request.volatileData());
        assertNull(request.id());
    }

    @Test
    void badRequestsNameWhatIsWrong()
    {
        final KuzzleException notObject = assertThrows(KuzzleException.class, () -> KuzzleRequest.of(json("[1]")));
        assertEquals(KuzzleError.INVALID_REQUEST, notObject.error());
        final KuzzleException wrongType = assertThrows(KuzzleException.class,
            () -> KuzzleRequest.of(json("{'controller':1,'requestId':'x'}")));
        assertEquals("Wrong type for argument \"controller\" (expected: string)", wrongType.getMessage());
        assertEquals("x", KuzzleRequest.requestIdOf(json("{'controller':1,'requestId':'x'}")));
        assertEquals("7", KuzzleRequest.requestIdOf(json("{'requestId':7}")));
        assertNull(KuzzleRequest.requestIdOf(json("'text'")));

        final KuzzleRequest request = KuzzleRequest.of(json("{'requestId':'r','body':[1]}"));
        assertEquals(KuzzleError.MISSING_ARGUMENT, assertThrows(KuzzleException.class,
            () -> request.required("index")).error());
        assertEquals(KuzzleError.INVALID_TYPE, assertThrows(KuzzleException.class, request::objectBody).error());
        assertEquals("Missing argument \"body.roomId\".", assertThrows(KuzzleException.class,
            () -> KuzzleRequest.of(json("{'body':{}}")).requiredInBody("roomId")).getMessage());
        assertEquals(KuzzleError.BODY_REQUIRED, assertThrows(KuzzleException.class,
            () -> KuzzleRequest.of(json("{}")).objectBody()).error());
    }

    @Test
    void responsesGoToTheRequestRoomErrorsIncluded() throws IOException
    {
        final ResponseWriter writer = new ResponseWriter();
        final KuzzleRequest request = KuzzleRequest.of(json("{'controller':'server','action':'now','requestId':'r2'," +
            "'volatile':{'v':1}}"));
        final JsonNode ok = parse(writer.success(request, json("{'now':123}")));
        assertEquals(json("{'requestId':'r2','status':200,'error':null,'controller':'server','action':'now'," +
            "'index':null,'collection':null,'volatile':{'v':1},'result':{'now':123},'room':'r2'}"), ok);

        final JsonNode error = parse(writer.error(null, request,
            new KuzzleException(KuzzleError.ACTION_NOT_FOUND, "server", "later")));
        assertEquals("r2", error.get("room").textValue());
        assertEquals(404, error.get("status").intValue());
        assertEquals("api.process.action_not_found", error.get("error").get("id").textValue());
        assertEquals(404, error.get("error").get("status").intValue());
        assertEquals("API action \"server\":\"later\" not found.", error.get("error").get("message").textValue());
        assertEquals((2 << 24) | (2 << 16) | 2, error.get("error").get("code").intValue());
        assertTrue(error.get("result").isNull());

        final JsonNode unreadable = parse(writer.error("r3", null,
            new KuzzleException(KuzzleError.INVALID_REQUEST, "not JSON")));
        assertEquals("r3", unreadable.get("room").textValue());
        assertEquals(400, unreadable.get("status").intValue());
    }

    @Test
    void notificationsShareEverythingButTheRoom() throws IOException
    {
        final DocumentNotification notification = DocumentNotification.of("i", "c", "websocket", "req-9", 1_700_000L,
            "node-0", json("{'sdkInstanceId':'abc','n':[1,2]}").toString(), "doc-1",
            json("{'a':'é\\\"','_kuzzle_info':{'author':'-1'}}").toString());
        final JsonNode frame = parse(notification.frame("room-1-an"));
        assertEquals(json("{'type':'document','status':200,'controller':'realtime','action':'publish'," +
            "'event':'publish','scope':'in','index':'i','collection':'c','protocol':'websocket','requestId':'req-9'," +
            "'timestamp':1700000,'node':'node-0','volatile':{'sdkInstanceId':'abc','n':[1,2]}," +
            "'result':{'_id':'doc-1','_source':{'a':'é\\\"','_kuzzle_info':{'author':'-1'}}},'room':'room-1-an'}"), frame);
        assertEquals("room-2-ia", parse(notification.frame("room-2-ia")).get("room").textValue());
        assertTrue(new String(notification.prefix(), StandardCharsets.UTF_8).endsWith("\"room\":"));

        final JsonNode noId = parse(DocumentNotification.of("i", "c", "http", null, 1L, "n", null, null, "{}")
            .frame("x"));
        assertTrue(noId.get("volatile").isNull());
        assertEquals(json("{'_source':{}}"), noId.get("result"));
    }

    @Test
    void aPublishedSourceGetsKuzzleInfoLastAndReplacesTheBodysOwn() throws IOException
    {
        assertEquals(json("{'a':1,'b':{'c':'é'},'_kuzzle_info':{'author':'kuid-1','createdAt':42}}"),
            json(DocumentNotification.source((ObjectNode)json("{'a':1,'b':{'c':'é'}}"), "kuid-1", 42)));
        assertEquals("{\"_kuzzle_info\":{\"author\":null,\"createdAt\":7}}",
            DocumentNotification.source((ObjectNode)json("{}"), null, 7));
        final JsonNode quoted = json(DocumentNotification.source((ObjectNode)json("{'x':true}"), "a\"b\\c\u0001é", 1));
        assertEquals("a\"b\\c\u0001é", quoted.get("_kuzzle_info").get("author").textValue());
        final String replaced = DocumentNotification.source(
            (ObjectNode)json("{'_kuzzle_info':{'author':'forged','extra':1},'n':2}"), "real", 3);
        assertEquals(json("{'_kuzzle_info':{'author':'real','createdAt':3},'n':2}"), json(replaced));
        assertEquals(1, replaced.split("_kuzzle_info", -1).length - 1, "one _kuzzle_info: " + replaced);
    }

    @Test
    void aBodyWithALoneSurrogateStillMakesANotification() throws IOException
    {
        final ObjectNode body = (ObjectNode)new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree("{\"s\":\"\\ud800\",\"ok\":\"\\ud83d\\ude00\"}");
        final String source = DocumentNotification.source(body, "k", 1);
        // escaped, as JSON.stringify does since Node 12: the text itself holds no lone surrogate
        assertTrue(source.startsWith("{\"s\":\"\\uD800\",\"ok\":\"😀\""), source);
        assertFalse(DocumentNotification.hasLoneSurrogate(source));
        final JsonNode frame = parse(DocumentNotification.of("i", "c", "websocket", "r", 1, "n", null, null, source)
            .frame("room"));
        assertEquals("😀", frame.get("result").get("_source").get("ok").textValue());
        assertEquals(1, frame.get("result").get("_source").get("s").textValue().length());
        // text from elsewhere (another edge) that does hold one still makes a frame, through a tree
        final JsonNode raw = parse(DocumentNotification.of("i", "c", "websocket", "r", 1, "n", null, null,
            "{\"s\":\"\ud800\"}").frame("room"));
        assertEquals(1, raw.get("result").get("_source").get("s").textValue().length());
    }
}
