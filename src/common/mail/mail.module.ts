import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { mailConfig, type MailConfig } from '../../config/namespaces.js';
import { MAILER } from './mailer.port.js';
import { NodemailerMailer } from './nodemailer.mailer.js';

/** Provides the MAILER port to every module (issue 13); which transport is in force is config. */
@Global()
@Module({
  providers: [
    {
      provide: MAILER,
      inject: [mailConfig.KEY],
      useFactory: (config: MailConfig) => new NodemailerMailer(config),
    },
  ],
  exports: [MAILER],
})
export class MailModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MAILER) private readonly mailer: NodemailerMailer,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  onModuleInit(): void {
    // Never the SMTP URL itself: it may carry a password.
    new Logger('Mail').log(
      this.mailer.kind === 'smtp'
        ? 'mail goes out over SMTP (SMTP_URL)'
        : `no SMTP_URL: mail is written as .eml files to ${this.config.dir}`,
    );
  }

  onApplicationShutdown(): void {
    this.mailer.close();
  }
}
