"""The messages of /v1/models and /v1/chat/completions as pydantic models: they validate
requests, word the 400 errors and make the OpenAPI document (/openapi.json).

Requests are lenient where OpenAI clients send more than omni uses (sampling settings,
`user`, `metadata`, ...): unknown fields are accepted and ignored. What omni cannot do is
refused with a clear error instead of being ignored (tools, n > 1, streamed non-PCM audio).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

AudioOutFormat = Literal["wav", "pcm16", "flac", "mp3", "opus", "aac"]


class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- request -----------------------------------------------------------------------------
class TextPart(Lenient):
    type: Literal["text"]
    text: str


class ImageURL(Lenient):
    url: str = Field(description="a data: URI (data:image/jpeg;base64,...); http(s) URLs are not fetched")
    detail: Literal["auto", "low", "high"] | None = None


class ImagePart(Lenient):
    type: Literal["image_url"]
    image_url: ImageURL


class InputAudio(Lenient):
    data: str = Field(description="base64 of a complete audio file")
    format: Literal["wav", "mp3", "flac"]


class AudioPart(Lenient):
    type: Literal["input_audio"]
    input_audio: InputAudio


class RefusalPart(Lenient):
    type: Literal["refusal"]
    refusal: str


ContentPart = Annotated[Union[TextPart, ImagePart, AudioPart, RefusalPart], Field(discriminator="type")]


class AssistantAudioRef(Lenient):
    id: str


class Message(Lenient):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None
    name: str | None = None
    audio: AssistantAudioRef | None = Field(None, description="assistant: an earlier reply's audio, by id")


class AudioParam(Lenient):
    voice: str | dict[str, Any] = Field(description="accepted for compatibility; the engine's voice is set "
                                                    "with the server's reference voice")
    format: AudioOutFormat


class StreamOptions(Lenient):
    include_usage: bool | None = None


class ChatCompletionRequest(Lenient):
    """POST /v1/chat/completions. The reply is spoken by MiniCPM-o; its words come back as the
    audio transcript (modalities ["text","audio"]) or as the message content (["text"])."""

    model: str = Field("minicpm-o-4.5", description="any id is accepted (an alias of the loaded model)")
    messages: list[Message] = Field(min_length=1)
    modalities: list[Literal["text", "audio"]] | None = None
    audio: AudioParam | None = None
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1, description="only 1 is supported")
    tools: list[dict[str, Any]] | None = None
    functions: list[dict[str, Any]] | None = None


# -- response ------------------------------------------------------------------------------
class ModelObject(Strict):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(Strict):
    object: Literal["list"] = "list"
    data: list[ModelObject]


class MessageAudio(Strict):
    id: str
    data: str = Field(description="base64 audio in the requested format (24 kHz mono)")
    expires_at: int
    transcript: str


class ResponseMessage(Strict):
    role: Literal["assistant"] = "assistant"
    content: str | None
    refusal: None = None
    annotations: list = []
    audio: MessageAudio | None = None


class Choice(Strict):
    index: int = 0
    message: ResponseMessage
    finish_reason: Literal["stop", "length"]
    logprobs: None = None


class PromptTokensDetails(Strict):
    audio_tokens: int
    cached_tokens: int = 0
    image_tokens: int = 0
    text_tokens: int = 0


class CompletionTokensDetails(Strict):
    audio_tokens: int
    text_tokens: int
    reasoning_tokens: int = 0


class Usage(Strict):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: PromptTokensDetails
    completion_tokens_details: CompletionTokensDetails


class ChatCompletion(Strict):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    system_fingerprint: str | None = None
    service_tier: str | None = None


class DeltaAudio(Strict):
    id: str | None = None
    transcript: str | None = None
    data: str | None = Field(None, description="base64 PCM16 LE mono 24 kHz")
    expires_at: int | None = None


class Delta(Strict):
    role: Literal["assistant"] | None = None
    content: str | None = None
    refusal: None = None
    audio: DeltaAudio | None = None


class ChunkChoice(Strict):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop", "length"] | None = None
    logprobs: None = None


class ChatCompletionChunk(Strict):
    """One `data:` line of a streamed reply (text/event-stream), ended by `data: [DONE]`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    system_fingerprint: str | None = None


class ErrorDetail(Strict):
    message: str
    type: str
    param: str | None = None
    code: str


class ErrorResponse(Strict):
    error: ErrorDetail
