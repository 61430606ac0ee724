/** The audit module's public face (DESIGN §2): its service, types and module; never its repository. */
export { AuditModule } from './audit.module.js';
export { AuditService } from './audit.service.js';
export type { AuditEvent, StoredAuditEvent } from './audit.types.js';
export { AuditEventDto, AuditEventPageDto } from './dto/audit-events.dto.js';
