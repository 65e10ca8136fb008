package org.taylorism.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;

/**
 * The one JSON mapper of taylorism, configured once (Jackson mappers are thread-safe once configured).
 * Instants are written as ISO-8601 text; a small serializer pair here avoids a dependency on
 * jackson-datatype-jsr310 for this one type.
 */
public final class Json {

    /**
     * What a parser takes: a result, an instruction set or a report as long as memory allows. Jackson's default caps
     * a string at 20 million characters, which a worker's result may pass; the nesting cap stays (deep nesting is
     * what a hostile input would use).
     */
    public static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).build();

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build())
            .addModule(new SimpleModule("taylorism-instants")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                            generator.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                            return Instant.parse(parser.getValueAsString());
                        }
                    }))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    /**
     * Reads a JSON document into maps (in document order), lists, strings, numbers, booleans and nulls, with
     * jackson-core's streaming parser alone: what the warm pool's channel carries thousands of times a second.
     */
    public static Object readPlain(byte[] json, String source) throws IOException {
        return PlainJson.read(json, source);
    }

    /**
     * Writes maps, lists, strings, numbers, booleans and nulls with the streaming generator; anything else
     * (records, beans, instants) through {@link #MAPPER}.
     */
    public static byte[] writePlain(Object value) throws IOException {
        byte[] plain = PlainJson.writeIfPlain(value);
        return plain != null ? plain : MAPPER.writeValueAsBytes(value);
    }
}
