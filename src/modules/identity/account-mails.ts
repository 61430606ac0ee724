import type { MailMessage } from '../../common/mail/mailer.port.js';

/** Header that names what a platform mail is, for filters and tests. */
export const MAIL_KIND_HEADER = 'X-Zhongchou-Mail';

/**
 * The account mails (issue 13), in Chinese and English. Each carries its one-time token on a
 * line of its own, so it can also be pasted into a client; nothing else personal is in them.
 */
export function verificationMail(to: string, token: string, baseUrl: string, ttlSeconds: number) {
  const hours = Math.round(ttlSeconds / 3600);
  const link = `${baseUrl}/api/v1/auth/verify-email?token=${token}`;
  const message: MailMessage = {
    to,
    subject: '请验证您的电子邮箱 / Verify your e-mail address',
    text: [
      '您好，',
      '',
      `请在 ${hours} 小时内打开以下链接，验证您在众筹平台的电子邮箱：`,
      link,
      `令牌：${token}`,
      '',
      '如果您没有注册，请忽略本邮件。',
      '',
      '---',
      '',
      'Hello,',
      '',
      `Please open this link within ${hours} hours to verify your e-mail address on zhongchou:`,
      link,
      `Token: ${token}`,
      '',
      'If you did not sign up, ignore this message.',
      '',
    ].join('\n'),
    headers: { [MAIL_KIND_HEADER]: 'email-verification' },
  };
  return message;
}

export function passwordResetMail(to: string, token: string, ttlSeconds: number) {
  const minutes = Math.round(ttlSeconds / 60);
  const message: MailMessage = {
    to,
    subject: '重置密码 / Reset your password',
    text: [
      '您好，',
      '',
      `有人请求重置您在众筹平台的密码。以下令牌在 ${minutes} 分钟内有效，只能使用一次：`,
      `令牌：${token}`,
      '（POST /api/v1/auth/password-reset/confirm {"token", "newPassword"}）',
      '重置后，您所有已登录的设备都将退出。如果不是您本人，请忽略本邮件，您的密码不会改变。',
      '',
      '---',
      '',
      'Hello,',
      '',
      `Someone asked to reset your zhongchou password. This token works once, for ${minutes} minutes:`,
      `Token: ${token}`,
      '(POST /api/v1/auth/password-reset/confirm {"token", "newPassword"})',
      'A reset signs you out everywhere. If it was not you, ignore this message: your password stays as it is.',
      '',
    ].join('\n'),
    headers: { [MAIL_KIND_HEADER]: 'password-reset' },
  };
  return message;
}
