// Voicemail delivery by email: the message's WAV attached, caller ID and time
// in the body. SMTP settings come from the panel; failures are recorded on the
// message and retried, never lost.
import nodemailer from 'nodemailer';
import path from 'node:path';
import type { Settings } from '../config/schemas.js';

export interface VoicemailMail {
  to: string;
  box: string;
  caller: string;
  callerName: string;
  receivedAt: Date;
  durationMs: number;
  wav: string | null;      // attached when set
  timeZone?: string;
}

export async function sendVoicemailMail(smtp: NonNullable<Settings['smtp']>, m: VoicemailMail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host, port: smtp.port, secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    connectionTimeout: 10000, greetingTimeout: 10000, socketTimeout: 20000,
    // A box on a LAN often talks to a relay with a private certificate.
    tls: { rejectUnauthorized: false },
  });
  const who = m.caller ? `${m.callerName ? `${m.callerName} ` : ''}<${m.caller}>` : 'an unknown caller';
  const when = m.receivedAt.toLocaleString('zh-CN', { timeZone: m.timeZone ?? 'Asia/Shanghai', hour12: false });
  const secs = Math.round(m.durationMs / 1000);
  try {
    await transport.sendMail({
      from: smtp.from,
      to: m.to,
      subject: `新语音留言 / New voicemail (${m.box}) from ${m.caller || 'unknown'}`,
      // Caller ID is line data: plain text only, never HTML.
      text: `信箱 Box: ${m.box}\n来电 From: ${who}\n时间 Time: ${when}\n时长 Length: ${secs} s\n`,
      attachments: m.wav ? [{ filename: `voicemail-${m.box}-${path.basename(m.wav)}`, path: m.wav, contentType: 'audio/wav' }] : [],
    });
  } finally {
    transport.close();
  }
}
