// UI strings in English and Chinese. Elements carry data-i18n (text), data-i18n-aria
// (aria-label) or data-i18n-title; dynamic text calls t(key, params).
const STRINGS = {
  en: {
    title: 'omni — voice chat',
    'ui.language': 'Interface language',
    'vad.label': 'Hands-free (voice detection)',
    'volume.label': 'Volume',
    'log.label': 'Conversation',
    'log.empty': 'Hold the button or the Space key and speak. Release to send.',
    'talk.hold': 'Hold to talk',
    'talk.release': 'Release to send',
    'talk.hint': 'or hold Space',
    'talk.vad': 'Listening for speech…',
    'stop': 'Stop', 'stop.hint': 'Stop the reply (Esc)',
    'reset': 'New conversation',
    'duplex.start': 'Start conversation', 'duplex.stop': 'End conversation',
    'duplex.listening': 'Model is listening', 'duplex.speaking': 'Model is speaking', 'duplex.idle': 'Conversation not started',
    'image.label': 'Image', 'image.pick': 'Choose image', 'image.camera': 'Camera snapshot', 'image.remove': 'Remove image',
    'image.attached': 'Image attached — it is sent with your next question.',
    'image.sent': 'image',
    'status.connecting': 'Connecting to the server…',
    'status.reconnecting': 'Connection lost — reconnecting in {s} s…',
    'status.reconnected': 'Reconnected. The server restarted, so the conversation starts over.',
    'status.loading': 'Loading the model… {pct}',
    'status.ready': 'Ready — hold to talk.',
    'status.ready.vad': 'Ready — just start speaking.',
    'status.ready.duplex': 'Ready — start the conversation and talk freely.',
    'status.recording': 'Recording… release to send.',
    'status.thinking': 'Thinking…',
    'status.speaking': 'Speaking… talk or press Stop to interrupt.',
    'status.interrupted': 'Interrupted after {s} s of the reply.',
    'status.busy': 'Someone else is talking to this server. Waiting for them to finish…',
    'status.reset': 'New conversation started.',
    'engine.sim': 'simulator', 'engine.real': 'model',
    'engine.badge': '{engine} · {mode} · {lang}',
    'mode.simplex': 'turn-by-turn', 'mode.duplex': 'duplex (hands-free)',
    'lang.en': 'English', 'lang.zh': 'Chinese',
    'you': 'You', 'assistant': 'Assistant',
    'user.voice': 'Voice message, {s} s',
    'turn.interrupted': 'interrupted',
    'turn.failed': 'failed',
    'stats.first_audio': 'First audio', 'stats.audio': 'Audio', 'stats.rtf': 'RTF',
    'stats.first_audio.help': 'from the end of your speech to the first reply audio played',
    'tl.speech_end': 'speech end', 'tl.prefill': 'prefill done', 'tl.first_text': 'first text',
    'tl.first_audio': 'first audio', 'tl.done': 'done', 'tl.label': 'Turn timeline',
    'err.title': 'Error', 'err.dismiss': 'Dismiss',
    'err.mic.insecure': 'The microphone only works on a secure page. Open this page as http://localhost:{port} on the machine running the server, or serve it over HTTPS (this page is {origin}).',
    'err.mic.unsupported': 'This browser cannot capture audio here (no AudioWorklet or getUserMedia).',
    'err.mic.denied': 'Microphone permission was denied. Allow it in the address bar and try again.',
    'err.mic.nodevice': 'No microphone was found.',
    'err.mic.busy': 'The microphone is in use by another application.',
    'err.mic.failed': 'The microphone could not be started: {detail}',
    'err.mic.ended': 'The microphone was disconnected.',
    'err.connection': 'The connection to the server was lost during the reply.',
    'err.protocol': 'The server sent something this page does not understand: {detail}',
    'err.server': 'The server reported an error: {message}',
    'err.code.engine_error': 'The engine failed while generating the reply: {message}',
    'err.code.busy': 'The engine is busy with another conversation: {message}',
    'err.code.bad_request': 'The server rejected a request from this page: {message}',
    'err.code.not_ready': 'The model is not loaded yet: {message}',
    'err.code.unsupported': 'Not supported by this engine: {message}',
    'err.code.too_large': 'That was too long: {message}',
    'err.no_audio': 'Nothing was recorded — hold the button a little longer.',
    'err.image': 'The image could not be read: {detail}',
    'err.camera': 'The camera could not be used: {detail}',
  },
  zh: {
    title: 'omni — 语音对话',
    'ui.language': '界面语言',
    'vad.label': '免按键（语音检测）',
    'volume.label': '音量',
    'log.label': '对话',
    'log.empty': '按住按钮或空格键说话，松开即发送。',
    'talk.hold': '按住说话',
    'talk.release': '松开发送',
    'talk.hint': '或按住空格键',
    'talk.vad': '正在等待说话…',
    'stop': '停止', 'stop.hint': '停止回复（Esc）',
    'reset': '新对话',
    'duplex.start': '开始对话', 'duplex.stop': '结束对话',
    'duplex.listening': '模型在听', 'duplex.speaking': '模型在说', 'duplex.idle': '对话未开始',
    'image.label': '图片', 'image.pick': '选择图片', 'image.camera': '拍照', 'image.remove': '移除图片',
    'image.attached': '已附加图片，将随下一个问题发送。',
    'image.sent': '图片',
    'status.connecting': '正在连接服务器…',
    'status.reconnecting': '连接已断开，{s} 秒后重连…',
    'status.reconnected': '已重新连接。服务器已重启，对话重新开始。',
    'status.loading': '正在加载模型… {pct}',
    'status.ready': '就绪，按住说话。',
    'status.ready.vad': '就绪，直接开口说话即可。',
    'status.ready.duplex': '就绪，开始对话后可自由交谈。',
    'status.recording': '录音中…松开发送。',
    'status.thinking': '思考中…',
    'status.speaking': '回复中…说话或按“停止”可打断。',
    'status.interrupted': '已打断，回复播放了 {s} 秒。',
    'status.busy': '其他人正在使用此服务器，等待其结束…',
    'status.reset': '已开始新对话。',
    'engine.sim': '模拟引擎', 'engine.real': '模型',
    'engine.badge': '{engine} · {mode} · {lang}',
    'mode.simplex': '轮流对话', 'mode.duplex': '全双工（免按键）',
    'lang.en': '英语', 'lang.zh': '中文',
    'you': '你', 'assistant': '助手',
    'user.voice': '语音消息，{s} 秒',
    'turn.interrupted': '已打断',
    'turn.failed': '失败',
    'stats.first_audio': '首响', 'stats.audio': '音频', 'stats.rtf': 'RTF',
    'stats.first_audio.help': '从你说完到播放出第一段回复音频',
    'tl.speech_end': '说完', 'tl.prefill': '预填充完成', 'tl.first_text': '首个文字',
    'tl.first_audio': '首个音频', 'tl.done': '完成', 'tl.label': '本轮时间线',
    'err.title': '错误', 'err.dismiss': '关闭',
    'err.mic.insecure': '麦克风只能在安全页面中使用。请在运行服务器的电脑上用 http://localhost:{port} 打开本页，或通过 HTTPS 访问（当前页面为 {origin}）。',
    'err.mic.unsupported': '此浏览器无法在这里录音（缺少 AudioWorklet 或 getUserMedia）。',
    'err.mic.denied': '麦克风权限被拒绝。请在地址栏中允许后重试。',
    'err.mic.nodevice': '没有找到麦克风。',
    'err.mic.busy': '麦克风正被其他应用占用。',
    'err.mic.failed': '无法启动麦克风：{detail}',
    'err.mic.ended': '麦克风已断开。',
    'err.connection': '回复过程中与服务器的连接断开了。',
    'err.protocol': '服务器发送了本页无法识别的内容：{detail}',
    'err.server': '服务器报告错误：{message}',
    'err.code.engine_error': '引擎生成回复时出错：{message}',
    'err.code.busy': '引擎正忙于另一个对话：{message}',
    'err.code.bad_request': '服务器拒绝了本页的请求：{message}',
    'err.code.not_ready': '模型尚未加载完成：{message}',
    'err.code.unsupported': '此引擎不支持：{message}',
    'err.code.too_large': '内容过长：{message}',
    'err.no_audio': '没有录到声音，请按住按钮久一点。',
    'err.image': '无法读取图片：{detail}',
    'err.camera': '无法使用摄像头：{detail}',
  },
};

let lang = 'en';

export function pickLanguage() {
  const q = new URLSearchParams(location.search).get('lang');
  if (q && STRINGS[q]) return q;
  try { const s = localStorage.getItem('omni.lang'); if (s && STRINGS[s]) return s; } catch { /* private mode */ }
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function getLanguage() { return lang; }

export function has(key) { return key in STRINGS[lang]; }

export function t(key, params = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? ''));
}

export function setLanguage(l, root = document) {
  lang = STRINGS[l] ? l : 'en';
  try { localStorage.setItem('omni.lang', lang); } catch { /* ignore */ }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-aria]').forEach((el) => el.setAttribute('aria-label', t(el.dataset.i18nAria)));
  root.querySelectorAll('[data-i18n-title]').forEach((el) => el.setAttribute('title', t(el.dataset.i18nTitle)));
}
