"""Client events of the Realtime API (GA names) as pydantic models: one schema per message
validates it and words the `error` event a malformed one gets. Lenient where clients send
more than omni uses (unknown fields are ignored), strict on the fields it reads."""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


EventId = Annotated[str, Field(max_length=512)]


# -- session -------------------------------------------------------------------------------
class AudioFormat(Lenient):
    type: Literal["audio/pcm", "audio/pcmu", "audio/pcma"] = "audio/pcm"
    rate: Literal[24000] | None = 24000


class ServerVadConfig(Lenient):
    type: Literal["server_vad"]
    threshold: float = Field(0.5, ge=0, le=1)
    prefix_padding_ms: int = Field(300, ge=0, le=10000)
    silence_duration_ms: int = Field(500, ge=0, le=60000)
    idle_timeout_ms: int | None = None
    create_response: bool = True
    interrupt_response: bool = True


class SemanticVadConfig(Lenient):
    type: Literal["semantic_vad"]
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"
    create_response: bool = True
    interrupt_response: bool = True


TurnDetection = Annotated[Union[ServerVadConfig, SemanticVadConfig], Field(discriminator="type")]


class AudioInput(Lenient):
    format: AudioFormat | None = None
    transcription: dict[str, Any] | None = None
    noise_reduction: dict[str, Any] | None = None
    turn_detection: TurnDetection | None = None


class AudioOutput(Lenient):
    format: AudioFormat | None = None
    voice: str | dict[str, Any] | None = None
    speed: float | None = Field(None, gt=0, le=4)


class SessionAudio(Lenient):
    input: AudioInput | None = None
    output: AudioOutput | None = None


class SessionConfig(Lenient):
    type: Literal["realtime", "transcription"] | None = None
    model: str | None = None
    output_modalities: list[Literal["audio", "text"]] | None = Field(None, min_length=1, max_length=1)
    instructions: str | None = None
    audio: SessionAudio | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: Any = None
    max_output_tokens: int | Literal["inf"] | None = None


# -- items ----------------------------------------------------------------------------------
class InputText(Lenient):
    type: Literal["input_text", "text", "output_text"]
    text: str


class InputAudio(Lenient):
    type: Literal["input_audio", "audio", "output_audio"]
    audio: str | None = None
    transcript: str | None = None


class InputImage(Lenient):
    type: Literal["input_image"]
    image_url: str
    detail: str | None = None


ContentPart = Annotated[Union[InputText, InputAudio, InputImage], Field(discriminator="type")]


class Item(Lenient):
    id: Annotated[str, Field(max_length=64)] | None = None
    type: Literal["message", "function_call", "function_call_output"] = "message"
    role: Literal["user", "assistant", "system"] | None = None
    content: list[ContentPart] = []
    status: str | None = None


# -- client events ---------------------------------------------------------------------------
class Event(Lenient):
    event_id: EventId | None = None


class SessionUpdate(Event):
    type: Literal["session.update"]
    session: SessionConfig


class BufferAppend(Event):
    type: Literal["input_audio_buffer.append"]
    audio: str


class BufferCommit(Event):
    type: Literal["input_audio_buffer.commit"]


class BufferClear(Event):
    type: Literal["input_audio_buffer.clear"]


class ItemCreate(Event):
    type: Literal["conversation.item.create"]
    item: Item
    previous_item_id: str | None = None


class ItemDelete(Event):
    type: Literal["conversation.item.delete"]
    item_id: str


class ItemRetrieve(Event):
    type: Literal["conversation.item.retrieve"]
    item_id: str


class ItemTruncate(Event):
    type: Literal["conversation.item.truncate"]
    item_id: str
    content_index: int = Field(0, ge=0)
    audio_end_ms: int = Field(ge=0)


class ResponseParams(Lenient):
    output_modalities: list[Literal["audio", "text"]] | None = Field(None, min_length=1, max_length=1)
    instructions: str | None = None
    metadata: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    conversation: str | None = None
    input: list[Any] | None = None


class ResponseCreate(Event):
    type: Literal["response.create"]
    response: ResponseParams | None = None


class ResponseCancel(Event):
    type: Literal["response.cancel"]
    response_id: str | None = None


class OutputBufferClear(Event):
    type: Literal["output_audio_buffer.clear"]


ClientEvent = TypeAdapter(Annotated[Union[SessionUpdate, BufferAppend, BufferCommit, BufferClear, ItemCreate, ItemDelete,
                                          ItemRetrieve, ItemTruncate, ResponseCreate, ResponseCancel,
                                          OutputBufferClear], Field(discriminator="type")])
KNOWN_TYPES = ("session.update", "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
               "conversation.item.create", "conversation.item.delete", "conversation.item.retrieve",
               "conversation.item.truncate", "response.create", "response.cancel")
