import type { ExceptionWords } from './exception-text.ts';

const JOB_KINDS: Record<string, string> = {
  lead_update: 'una actualización del lead',
  note: 'una nota',
  task: 'una tarea',
  invoice_update: 'la actualización de la factura',
  bot_continue: 'la respuesta al Salesbot',
};

export const EXCEPTION_WORDS_ES: ExceptionWords = {
  lead: (id) => (id === null ? 'un lead' : `el lead ${id}`),
  jobKind: (kind) => JOB_KINDS[kind] ?? 'una escritura',
  review: (amount, reason) => ({
    message: `dramlink: revise el pago${amount ? ` por ${amount}` : ''}: ${reason}`,
    action: 'Abra el pago en la tarjeta del lead, compruébelo en el panel del proveedor y resuélvalo con el cliente.',
  }),
  refundFailed: (amount, providerMessage) => ({
    message: `Un reembolso${amount ? ` de ${amount}` : ''} falló: ${providerMessage ?? 'el proveedor lo rechazó'}.`,
    action: 'Repita el reembolso desde el panel o hágalo en el panel del proveedor y luego compruebe el estado.',
  }),
  rejected: (jobKind, lead, error) => ({
    message: `amoCRM rechazó ${jobKind} para ${lead}: ${error}`,
    action: 'Revise el lead y los campos de dramlink en amoCRM (un lead, campo o etapa eliminados); el pago no se ve afectado.',
  }),
  retrying: (lead, attempts, error, every) => ({
    message: `dramlink no pudo actualizar ${lead} en amoCRM${attempts ? ` tras ${attempts} intentos` : ''}${error ? ` (${error})` : ''}. Los datos del pago están a salvo; dramlink lo reintenta cada ${every} minutos.`,
    action:
      'Compruebe que amoCRM responde y que dramlink tiene acceso a la cuenta; el lead se actualiza en cuanto amoCRM acepte la escritura.',
  }),
  blocked403: (cooldown) => ({
    message: `amoCRM bloqueó el acceso a la API de esta cuenta (HTTP 403), normalmente por demasiadas solicitudes. dramlink detuvo todas las llamadas y volverá a probar en ${cooldown} minutos; las actualizaciones esperan y no se pierden.`,
    action:
      'Si el bloqueo continúa, pida al soporte de amoCRM (chat) que lo levante, indicando el subdominio, el id de la cuenta y la IP de este servidor.',
  }),
  ipNotAllowed: (cooldown) => ({
    message: `amoCRM rechaza las llamadas a la API desde la dirección IP de este servidor: la configuración de seguridad de la API de la cuenta solo permite direcciones de una lista. dramlink detuvo todas las llamadas y lo intentará de nuevo en ${cooldown} minutos; las actualizaciones del CRM esperan y no se pierden.`,
    action:
      'Un administrador de la cuenta añade la dirección IP pública de este servidor a las direcciones permitidas en la configuración de la API de amoCRM (o quita la restricción).',
  }),
  tokenRefused: {
    message:
      'amoCRM se negó a renovar el acceso de dramlink a esta cuenta (la integración se desactivó o su token caducó tras tres meses sin uso). Las actualizaciones esperan y no se pierden.',
    action:
      'Un administrador de la cuenta debe instalar dramlink de nuevo (amoCRM → amoMarket → dramlink → Instalar); las actualizaciones pendientes se envían después.',
  },
  blocked: {
    message: 'amoCRM bloqueó el acceso a la API de esta cuenta: las actualizaciones de leads están en pausa.',
    action:
      'Espere a que se levante el bloqueo (dramlink reintenta solo); si persiste, contacte al soporte de amoCRM con el id de la cuenta.',
  },
  reconnect: {
    message: 'dramlink perdió el acceso a esta cuenta de amoCRM: los leads no se actualizan hasta que se vuelva a conectar.',
    action:
      'Un administrador reinstala dramlink (Configuración → Integraciones → dramlink). Los pagos siguen funcionando; los leads se ponen al día después.',
  },
};
